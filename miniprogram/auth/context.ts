import { AuthKitError } from './errors'
import type { AuthStore } from './store'
import type { ApiResponse, AuthErrorCode, AuthEvent, AuthOptions, RequestOptions } from './types'

/** AuthOptions with defaults applied. */
export type ResolvedOptions = Required<AuthOptions>

/** What the kit's parts (core, authorization flows) share. Built once per createAuth. */
export interface KitContext {
  options: ResolvedOptions // AuthOptions with defaults applied
  store: AuthStore // the observable store with the actions above
  request<T>(o: RequestOptions): Promise<ApiResponse<T>>
  /**
   * A live session, logging in when there is none. The kit's own use (profile preparation, the
   * avatar upload): unlike `Auth.ensureLogin()`, it never re-arms a tripped loop breaker.
   */
  ensureLogin(): Promise<void>
  /** The kit's single wrapper of wx.login: resolves a fresh code or rejects AuthKitError('login_failed'). */
  wxLogin(): Promise<string>
  emit(e: AuthEvent): void
  /** The current session token, or null (for wx.uploadFile, which bypasses request()). */
  token(): string | null
  /** Records store.lastError and returns the error to throw. */
  fail(
    code: AuthErrorCode,
    message: string,
    extra?: Partial<Pick<AuthKitError, 'statusCode' | 'serverCode' | 'cause'>>,
  ): AuthKitError
}

/** WeChat runs at most 10 wx.request at once (platform doc §10). */
const WECHAT_MAX_REQUESTS = 10

const invalidOption = (message: string) =>
  new AuthKitError('invalid_input', 'createAuth: ' + message)

const isPositive = (n: unknown): n is number => typeof n === 'number' && n > 0 && n < Infinity

/** Applies the defaults; throws AuthKitError('invalid_input') naming the first invalid option. */
export const resolveOptions = (o: AuthOptions): ResolvedOptions => {
  const resolved: ResolvedOptions = {
    baseUrl: o.baseUrl,
    loginPath: o.loginPath ?? '/auth/login',
    storageKey: o.storageKey ?? 'auth/session/v1',
    maxConcurrentRequests: o.maxConcurrentRequests ?? 8,
    loginBudget: o.loginBudget ?? { max: 3, perMs: 60_000 },
    timeoutMs: o.timeoutMs ?? 15_000,
    loginTimeoutMs: o.loginTimeoutMs ?? 10_000,
  }
  const { maxConcurrentRequests: max, loginBudget: budget } = resolved
  if (typeof resolved.baseUrl !== 'string' || !/^https?:\/\/[^/?#]+/i.test(resolved.baseUrl))
    throw invalidOption('baseUrl must be an http(s) origin, e.g. https://api.example.com')
  if (typeof resolved.loginPath !== 'string' || resolved.loginPath === '')
    throw invalidOption('loginPath must be a non-empty path')
  if (typeof resolved.storageKey !== 'string' || resolved.storageKey === '')
    throw invalidOption('storageKey must be a non-empty string')
  if (!Number.isInteger(max) || max < 1 || max > WECHAT_MAX_REQUESTS)
    throw invalidOption('maxConcurrentRequests must be an integer from 1 to 10')
  if (!budget || !Number.isInteger(budget.max) || budget.max < 1 || !isPositive(budget.perMs))
    throw invalidOption('loginBudget needs a positive integer max and a positive perMs')
  if (!isPositive(resolved.timeoutMs)) throw invalidOption('timeoutMs must be a positive number')
  if (!isPositive(resolved.loginTimeoutMs))
    throw invalidOption('loginTimeoutMs must be a positive number')
  return resolved
}
