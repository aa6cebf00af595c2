import type { AuthKitError } from './errors'
import type { AuthStore } from './store'
import type { ApiResponse, AuthErrorCode, AuthEvent, AuthOptions, RequestOptions } from './types'

/** AuthOptions with defaults applied. */
export type ResolvedOptions = Required<AuthOptions>

/** What the kit's parts (core, authorization flows) share. Built once per createAuth. */
export interface KitContext {
  options: ResolvedOptions // AuthOptions with defaults applied
  store: AuthStore // the observable store with the actions above
  request<T>(o: RequestOptions): Promise<ApiResponse<T>>
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

export const resolveOptions = (o: AuthOptions): ResolvedOptions => ({
  baseUrl: o.baseUrl,
  loginPath: o.loginPath || '/auth/login',
  storageKey: o.storageKey || 'auth/session/v1',
  maxConcurrentRequests: o.maxConcurrentRequests || 8,
  loginBudget: o.loginBudget || { max: 3, perMs: 60_000 },
  logoutPath: o.logoutPath || '/auth/logout',
  mePath: o.mePath || '/me',
  avatarUploadPath: o.avatarUploadPath || '/me/avatar',
  phonePath: o.phonePath || '/me/phone',
  wechatProfilePath: o.wechatProfilePath || '/me/wechat-profile',
  isSessionExpired: o.isSessionExpired || (() => false),
})
