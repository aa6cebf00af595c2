// Contract between the WeChat client (server/src/wechat/) and the rest of the server.
// The server depends only on these types; the client talks to api.weixin.qq.com or to the
// simulated WeChat (server/src/wechat/sim/) through the same transport.

export type WeChatApi =
  'jscode2session' | 'stable_token' | 'getuserphonenumber' | 'checksession' | 'subscribe_send'

/** A WeChat API answered with a non-zero errcode (or could not be reached: errcode -1). */
export class WeChatApiError extends Error {
  readonly api: WeChatApi
  readonly errcode: number
  readonly errmsg: string
  readonly rid: string | null
  constructor(api: WeChatApi, errcode: number, errmsg: string, rid: string | null = null) {
    super(`${api} failed: errcode ${errcode}`)
    this.name = 'WeChatApiError'
    this.api = api
    this.errcode = errcode
    this.errmsg = errmsg
    this.rid = rid
  }
}

export interface Code2SessionResult {
  openid: string
  sessionKey: string
  unionid: string | null
}

export interface PhoneInfo {
  phoneNumber: string
  purePhoneNumber: string
  countryCode: string
  watermark: { timestamp: number; appid: string }
}

export interface WeChatClient {
  readonly appid: string
  /** Never retried; concurrent calls with the same code share one exchange; a code seen before fails with 40163. */
  code2Session(code: string): Promise<Code2SessionResult>
  /** Phone code -> number; `openid` makes WeChat check the code belongs to that user. */
  getPhoneNumber(code: string, openid?: string): Promise<PhoneInfo>
  /** hmac_sha256(session_key, '') check against WeChat. */
  checkSessionKey(openid: string, sessionKey: string): Promise<boolean>
  /** access_token from stable_token, cached with a margin, refreshed single-flight. */
  getAccessToken(): Promise<string>
  /**
   * subscribeMessage.send (wechat-platform.md §6). Throws WeChatApiError: -1 when WeChat could
   * not be reached or answered badly, else WeChat's errcode (43101, 40037, 47003, 41030, ...).
   * A rejected access_token (40001/40014/42001) is refreshed and the send replayed once.
   */
  sendSubscribeMessage(message: SubscribeMessage): Promise<void>
}

/** The body of subscribeMessage.send. */
export interface SubscribeMessage {
  touser: string
  template_id: string
  /** The mini-program page the notification opens, with its query. */
  page: string
  data: Record<string, { value: string }>
  miniprogram_state?: 'developer' | 'trial' | 'formal'
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'
}

/** The server's error codes for WeChat failures (design.md "Login error codes"). */
export type WeChatErrorCode =
  | 'LOGIN_CODE_INVALID'
  | 'LOGIN_CODE_USED'
  | 'WECHAT_RISK_BLOCKED'
  | 'RATE_LIMITED'
  | 'WECHAT_UNAVAILABLE'
  | 'PHONE_CODE_INVALID'
  | 'WECHAT_CONFIG_ERROR'
