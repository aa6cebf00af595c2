// The simulated WeChat's control routes (docs/protocol.md "The simulated WeChat over HTTP"):
// what wx.login and the phone button would give a test user, faults and the clock.
import { HttpClient, isObject } from './http'

export type SimApi =
  'jscode2session' | 'stable_token' | 'token' | 'getuserphonenumber' | 'checksession'

export interface SimFault {
  errcode?: number
  errmsg?: string
  status?: number
  malformed?: boolean
  /** Latency before WeChat answers, in ms. */
  delayMs?: number
  times?: number
}

export class SimControl {
  private readonly http: HttpClient

  constructor(simUrl: string, token: string | null) {
    this.http = new HttpClient(simUrl, 10_000, token !== null ? { 'x-sim-token': token } : {})
  }

  private async call(path: string, method: string, body?: unknown): Promise<unknown> {
    const res = await this.http.request(`/__sim${path}`, {
      method,
      ...(body !== undefined ? { body } : {}),
    })
    if (res.status !== 200) {
      throw new Error(
        `simulated WeChat ${method} /__sim${path} answered ${res.status}: ${res.text.slice(0, 200)}`,
      )
    }
    return res.json
  }

  /** A fresh wx.login code for `openid` (a new one each time: a new session_key too). */
  async loginCode(openid: string): Promise<string> {
    const r = await this.call('/login-code', 'POST', { openid })
    if (!isObject(r) || typeof r.code !== 'string') throw new Error('login-code: no code')
    return r.code
  }

  async phoneCode(openid: string, phoneNumber: string): Promise<string> {
    const r = await this.call('/phone-code', 'POST', { openid, phoneNumber })
    if (!isObject(r) || typeof r.code !== 'string') throw new Error('phone-code: no code')
    return r.code
  }

  async fault(api: SimApi, fault: SimFault): Promise<void> {
    await this.call('/faults', 'POST', { api, ...fault })
  }

  async clearFaults(): Promise<void> {
    await this.call('/faults', 'DELETE')
  }

  async advanceClock(ms: number): Promise<void> {
    await this.call('/clock', 'POST', { advanceMs: ms })
  }

  /** The user's current session_key as WeChat holds it, or null. */
  async sessionKey(openid: string): Promise<string | null> {
    const r = await this.call(`/users/${encodeURIComponent(openid)}`, 'GET')
    return isObject(r) && typeof r.sessionKey === 'string' ? r.sessionKey : null
  }
}
