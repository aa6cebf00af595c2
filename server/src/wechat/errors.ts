// WeChat errcodes: the platform's own errmsgs (used by the simulated WeChat), the `rid` parser
// and the mapping to the server's error codes (design.md "Login error codes").

import { WeChatApiError, type WeChatErrorCode } from './types'

/** The errmsg WeChat sends for each errcode (wechat-platform.md §2, §3, §5, §8). */
export const WECHAT_ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  40001:
    'invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40164: 'invalid ip, not in whitelist',
  40226: 'code blocked',
  40243: 'AppSecret has been frozen',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41030: 'invalid page',
  42001: 'access_token expired',
  43101: 'user refuse to accept the msg',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  47001: 'data format error',
  47003: 'argument invalid! data invalid',
  87008: 'invalid sig_method',
  87009: 'invalid signature',
}

/** errcodes after which an access_token must be refreshed (WxJava ACCESS_TOKEN_ERROR_CODES). */
export const ACCESS_TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001])

/** Extracts the request id from an errmsg such as 'invalid code, rid: 6166f719-1e9d4f15-2e6d1b72'. */
export function parseRid(errmsg: string): string | null {
  const m = /\brid:\s*([0-9A-Za-z]+(?:-[0-9A-Za-z]+)*)/.exec(errmsg)
  if (m) return m[1]!
  const hint = /req_id:\s*([0-9A-Za-z_-]+)/.exec(errmsg)
  return hint ? hint[1]! : null
}

export interface MappedWeChatError {
  statusCode: number
  code: WeChatErrorCode
  message: string
  retryAfterSec?: number
}

const CONFIG_ERRCODES: ReadonlySet<number> = new Set([
  40002, // invalid grant_type
  40013, // invalid appid
  40125, // invalid appsecret
  40164, // caller ip not in the whitelist
  40243, // AppSecret frozen
  41002, // appid missing
  41004, // appsecret missing
  47001, // data format error (our request is wrong)
  48001, // api unauthorized for this app
  87008, // invalid sig_method
])

/**
 * Maps a WeChat failure to the server's error: status, code and a safe English message (no
 * secret, token, code or session_key; WeChat's own errmsg is not copied).
 */
export function mapWeChatError(e: WeChatApiError): MappedWeChatError {
  const phone = e.api === 'getuserphonenumber'
  switch (e.errcode) {
    case 40029:
    case 41008:
      return phone
        ? {
            statusCode: 400,
            code: 'PHONE_CODE_INVALID',
            message: 'The phone number code is invalid or has expired.',
          }
        : {
            statusCode: 400,
            code: 'LOGIN_CODE_INVALID',
            message: 'The login code is invalid or has expired.',
          }
    case 40163:
      return phone
        ? {
            statusCode: 400,
            code: 'PHONE_CODE_INVALID',
            message: 'The phone number code has already been used.',
          }
        : {
            statusCode: 400,
            code: 'LOGIN_CODE_USED',
            message: 'The login code has already been used.',
          }
    case 40226:
      return {
        statusCode: 403,
        code: 'WECHAT_RISK_BLOCKED',
        message: 'WeChat blocked this login for security reasons.',
      }
    case 45011:
      return {
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: 'Too many requests to WeChat; retry in a minute.',
        retryAfterSec: 60,
      }
    default:
      break
  }
  if (CONFIG_ERRCODES.has(e.errcode)) {
    return {
      statusCode: 500,
      code: 'WECHAT_CONFIG_ERROR',
      message: 'The server is misconfigured for WeChat.',
    }
  }
  // -1, timeouts, HTTP errors, malformed answers, daily quota (45009), a token still rejected
  // after one refresh (40001/40014/42001) and anything unknown.
  return {
    statusCode: 503,
    code: 'WECHAT_UNAVAILABLE',
    message: 'WeChat is unavailable; try again later.',
  }
}
