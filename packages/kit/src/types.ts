// The kit's public types: the contract pages, the app's api/ layer and tests build on.
// See shared design.md "The kit's public surface". Change only together with every user.

export type AuthStatus = 'anonymous' | 'logging-in' | 'authenticated' | 'error'
export type ScopeState = 'granted' | 'denied' | 'unasked'
export type AuthMode = 'required' | 'optional' | 'none'
/** wx.request's documented methods (no PATCH: clients answer `request:fail method is invalid`). */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS'

/** The user as the server returns it (`GET /me`, login answers). `phone` is masked by the server. */
export interface User {
  id: string
  nickname: string | null
  avatarUrl: string | null
  phone: string | null
}

export interface AuthOptions {
  /** Server origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string
  /** Default `/auth/login`. */
  loginPath?: string
  /** Default `auth/session/v1`. */
  storageKey?: string
  /** Default 8 (WeChat allows 10 wx.request at once). */
  maxConcurrentRequests?: number
  /**
   * Loop breaker; default 3 per 60_000 ms. Counts only logins whose fresh token the server then
   * refused (401); re-arms by itself `perMs` after it tripped, or at once on `ensureLogin()`.
   */
  loginBudget?: { max: number; perMs: number }
  /** Default `/auth/logout` (POST, bearer; best effort on logout). */
  logoutPath?: string
  /** Default `/me` (GET after an avatar upload's 401; PUT by saveProfile). */
  mePath?: string
  /** Default `/me/avatar` (wx.uploadFile, multipart field `file`, answers `{url}`). */
  avatarUploadPath?: string
  /** Default `/me/phone` (POST `{code}` by bindPhone). */
  phonePath?: string
  /** Default `/me/wechat-profile` (POST by getUserProfile). */
  wechatProfilePath?: string
  /**
   * For back ends that signal an expired session in the body of a 2xx (e.g. `200 {code: -1}`):
   * true makes the answer count as a 401, so the call re-logs in and is retried once.
   * Default: never (only a 401 status means an expired session).
   */
  isSessionExpired?: (response: ApiResponse<unknown>) => boolean
  /** Default deadline of a whole call (retries, backoff and login waits included); 15_000 ms. */
  timeoutMs?: number
  /** Bound of one wx.login (its `timeout` option, and the kit's own guard); 10_000 ms. */
  loginTimeoutMs?: number
  /**
   * Default true: while no session is held, a login code is obtained ahead of need (at createAuth,
   * on app show, refreshed every 4.5 min in the foreground), so a login does not wait for wx.login.
   */
  prefetchLoginCode?: boolean
  /** Default true: a new token the server sends on any answer of baseUrl (sliding sessions) replaces the session's. */
  adoptRotatedTokens?: boolean
}

export interface RequestOptions {
  /** Path (joined to baseUrl) or absolute URL. */
  url: string
  method?: HttpMethod
  data?: string | WechatMiniprogram.IAnyObject | ArrayBuffer
  header?: Record<string, string>
  /** Default 'optional'. */
  auth?: AuthMode
  /** Sent as `Idempotency-Key`; makes a non-idempotent call retryable. */
  idempotencyKey?: string
  /** Deadline of the whole call, retries and backoff included; default AuthOptions.timeoutMs. */
  timeoutMs?: number
  /** 'json' (default): a body that is not JSON rejects with 'invalid_response'. */
  dataType?: 'json' | 'text'
}

export interface ApiResponse<T> {
  data: T
  statusCode: number
  header: Record<string, string>
}

/** Closed union of every rejection the kit produces. Documented in README. */
export type AuthErrorCode =
  | 'network' // wx.request failed (no answer)
  | 'timeout' // wx.request timed out
  | 'http' // the server answered non-2xx (see statusCode / serverCode)
  | 'invalid_response' // a 2xx answer whose body is not JSON (captive portal, gateway page)
  | 'login_failed' // wx.login or the code exchange failed
  | 'login_loop' // loop breaker tripped; needs ensureLogin() from a user action
  | 'aborted' // logout (or an explicit abort) cancelled the call
  | 'scope_denied' // the user refused a scope and did not grant it in settings
  | 'privacy_denied' // the user disagreed with the privacy contract (errno 104)
  | 'privacy_undeclared' // errno 112: the API is missing from the privacy guide (a config error)
  | 'subscribe_off' // errCode 20004: the user turned subscription messages off (fix in settings)
  | 'subscribe_unavailable' // requestSubscribeMessage failed for the app's reasons (errCode)
  | 'gesture_required' // a tap-only API was called outside a tap (TAP gesture errMsg)
  | 'profile_denied' // getUserProfile refused
  | 'phone_denied' // getPhoneNumber refused ('deny')
  | 'phone_cancelled' // getPhoneNumber cancelled ('cancel')
  | 'phone_quota' // errno 1400001: the app's phone-number quota is exhausted
  | 'upload_failed' // wx.uploadFile failed after retries
  | 'invalid_input' // bad argument given to the kit (e.g. empty nickname, createAuth options)

export type Reprompt = { scope: string; reason: string }
export type PrivacyRequest = { referrer: string; contractName: string }
/** What the profile UI should offer next: retry after a refusal, or the fill-in form after an anonymous answer. */
export type ProfilePrompt = null | 'refused' | 'anonymous'
export type SubscriptionState = 'accept' | 'reject' | 'ban' | 'filter'

/** Shape of the mobx-miniprogram observable store. Pages bind these fields with mobx-miniprogram-bindings. */
export interface AuthStoreState {
  status: AuthStatus
  user: User | null
  readonly isLoggedIn: boolean
  scopes: Record<string, ScopeState>
  reprompt: Reprompt | null
  privacy: PrivacyRequest | null
  profilePrompt: ProfilePrompt
  subscriptions: Record<string, SubscriptionState>
  lastError: { code: AuthErrorCode; message: string } | null
}

export type AuthEvent =
  | { type: 'login:start'; reason: 'cold' | 'renew' | 'user' }
  | { type: 'login:success'; durationMs: number; via: 'header' | 'login-route' }
  | { type: 'login:failure'; durationMs: number; code: AuthErrorCode; message: string }
  | { type: 'session:restored'; expiresInMs: number }
  | { type: 'session:renewed' } // a 401 on the current token led to a new login
  | { type: 'loop:tripped'; logins: number; perMs: number }
  | { type: 'logout' }
  // templates WeChat's back end banned, or filtered for a duplicate title: the developer's problem
  | { type: 'subscribe:blocked'; banned: string[]; filtered: string[] }

export type AuthEventType = AuthEvent['type']
export type AuthEventOf<T extends AuthEventType> = Extract<AuthEvent, { type: T }>
