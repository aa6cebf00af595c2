// The WeChat server API client, WeChat's data crypto, and the simulated WeChat.
export * from './types'
export {
  httpTransport,
  WeChatTransportError,
  type WeChatTransport,
  type WeChatTransportRequest,
  type WeChatTransportResponse,
} from './transport'
export { createWeChatClient, redact, type WeChatClientOptions } from './client'
export {
  ACCESS_TOKEN_ERRCODES,
  WECHAT_ERRMSG,
  mapWeChatError,
  parseRid,
  type MappedWeChatError,
} from './errors'
export {
  WeChatDecryptError,
  decodeStrictBase64,
  decryptWeChatData,
  encryptWeChatData,
  sessionKeySignature,
  signRawData,
  verifyRawDataSignature,
  type WeChatDecryptFailure,
  type WeChatDecryptedData,
  type WeChatWatermark,
} from './crypto'
export * from './sim'
