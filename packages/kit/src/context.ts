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

/** Every option's default, used when the option is absent (or given as an empty path or key). */
const DEFAULTS: Omit<ResolvedOptions, 'baseUrl'> = {
  loginPath: '/auth/login',
  storageKey: 'auth/session/v1',
  maxConcurrentRequests: 8,
  loginBudget: { max: 3, perMs: 60_000 },
  timeoutMs: 15_000,
  loginTimeoutMs: 10_000,
  logoutPath: '/auth/logout',
  mePath: '/me',
  avatarUploadPath: '/me/avatar',
  phonePath: '/me/phone',
  wechatProfilePath: '/me/wechat-profile',
  isSessionExpired: () => false,
  prefetchLoginCode: true,
  adoptRotatedTokens: true,
}

const isPositive = (n: number) => n > 0 && n < Infinity

/**
 * Applies the defaults; throws AuthKitError('invalid_input') naming the first invalid option and
 * its rule.
 */
export const resolveOptions = (given: AuthOptions): ResolvedOptions => {
  const resolved: Record<string, unknown> = { ...DEFAULTS }
  for (const [name, value] of Object.entries(given))
    // an empty path or key falls back to its default, like an absent option
    if (value != null && value !== '') resolved[name] = value
  const {
    baseUrl,
    maxConcurrentRequests: max,
    loginBudget: budget,
    timeoutMs,
    loginTimeoutMs,
  } = resolved as ResolvedOptions
  const checks: Array<[valid: boolean, rule: string]> = [
    [/^https?:\/\/[^/?#]/i.test(baseUrl), 'baseUrl: an http(s) URL'],
    [Number.isInteger(max) && max > 0 && max <= WECHAT_MAX_REQUESTS, 'maxConcurrentRequests: 1-10'],
    [
      !!budget && Number.isInteger(budget.max) && budget.max > 0 && isPositive(budget.perMs),
      'loginBudget: max >= 1, perMs > 0',
    ],
    [isPositive(timeoutMs), 'timeoutMs: > 0'],
    [isPositive(loginTimeoutMs), 'loginTimeoutMs: > 0'],
  ]
  for (const [valid, rule] of checks)
    if (!valid) throw new AuthKitError('invalid_input', 'createAuth: invalid ' + rule)
  return resolved as ResolvedOptions
}
