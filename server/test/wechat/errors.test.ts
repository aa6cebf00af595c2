import { mapWeChatError, parseRid } from '../../src/wechat/errors'
import { WeChatApiError, type WeChatApi } from '../../src/wechat/types'

describe('mapWeChatError', () => {
  const cases: Array<[WeChatApi, number, number, string, number | undefined]> = [
    ['jscode2session', 40029, 400, 'LOGIN_CODE_INVALID', undefined],
    ['jscode2session', 41008, 400, 'LOGIN_CODE_INVALID', undefined],
    ['jscode2session', 40163, 400, 'LOGIN_CODE_USED', undefined],
    ['jscode2session', 40226, 403, 'WECHAT_RISK_BLOCKED', undefined],
    ['jscode2session', 45011, 429, 'RATE_LIMITED', 60],
    ['jscode2session', -1, 503, 'WECHAT_UNAVAILABLE', undefined],
    ['jscode2session', 40013, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['jscode2session', 40125, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['jscode2session', 41002, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['jscode2session', 41004, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['jscode2session', 40002, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['stable_token', 40164, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['stable_token', 40243, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['stable_token', 40013, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['stable_token', 45009, 503, 'WECHAT_UNAVAILABLE', undefined],
    ['stable_token', -1, 503, 'WECHAT_UNAVAILABLE', undefined],
    ['getuserphonenumber', 40029, 400, 'PHONE_CODE_INVALID', undefined],
    ['getuserphonenumber', 41008, 400, 'PHONE_CODE_INVALID', undefined],
    ['getuserphonenumber', 40163, 400, 'PHONE_CODE_INVALID', undefined],
    ['getuserphonenumber', 45011, 429, 'RATE_LIMITED', 60],
    ['getuserphonenumber', 40001, 503, 'WECHAT_UNAVAILABLE', undefined],
    ['getuserphonenumber', 42001, 503, 'WECHAT_UNAVAILABLE', undefined],
    ['getuserphonenumber', 40013, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['getuserphonenumber', -1, 503, 'WECHAT_UNAVAILABLE', undefined],
    ['checksession', 87008, 500, 'WECHAT_CONFIG_ERROR', undefined],
    ['checksession', 99999, 503, 'WECHAT_UNAVAILABLE', undefined],
  ]
  it.each(cases)('%s %i -> %i %s', (api, errcode, statusCode, code, retryAfterSec) => {
    const secret = 'top-secret-value-0123456789abcdef'
    const mapped = mapWeChatError(
      new WeChatApiError(api, errcode, `${secret}, rid: 1-2-3`, '1-2-3'),
    )
    expect(mapped.statusCode).toBe(statusCode)
    expect(mapped.code).toBe(code)
    expect(mapped.retryAfterSec).toBe(retryAfterSec)
    expect(mapped.message).toMatch(/^[\x20-\x7e]+$/)
    expect(mapped.message).not.toContain(secret)
    expect(mapped.message).not.toContain('1-2-3')
  })
})

describe('parseRid', () => {
  it('reads the rid suffix of WeChat errmsgs', () => {
    expect(parseRid('invalid code, rid: 6166f719-1e9d4f15-2e6d1b72')).toBe(
      '6166f719-1e9d4f15-2e6d1b72',
    )
    expect(parseRid('invalid code hint: [abc123] rid: 63f1a2b3-0c0d0e0f-11121314')).toBe(
      '63f1a2b3-0c0d0e0f-11121314',
    )
    expect(parseRid('system error, hints: [ req_id: Abc-123 ]')).toBe('Abc-123')
    expect(parseRid('ok')).toBeNull()
    expect(parseRid('')).toBeNull()
  })
})
