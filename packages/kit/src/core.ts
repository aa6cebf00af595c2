import { reaction, toJS } from 'mobx-miniprogram'
import { resolveOptions, type KitContext } from './context'
import { AuthKitError } from './errors'
import { createEmitter } from './events'
import { createCallGuard, type CallGuard } from './guard'
import { createCodePrefetch } from './code-prefetch'
import { fetchLoginCode } from './login'
import { createQueue } from './queue'
import {
  clearSession,
  lifetimeFromSeconds,
  loadSession,
  saveSession,
  type Session,
} from './session'
import { createStore } from './store'
import {
  buildRequest,
  hasUnparsedBody,
  isIdempotent,
  isInterruption,
  isSuccess,
  isUnderBase,
  joinUrl,
  responseError,
  retryAfterMs,
  sendRequest,
  type Credentials,
  type Response,
} from './transport'
import type { ApiResponse, AuthOptions, RequestOptions, User } from './types'
import { watchVisibility } from './visibility'

type LoginReason = 'cold' | 'renew' | 'user'

/** What a login yields: the token, its lifetime in seconds as the server sent it, the user. */
interface Grant {
  token: string
  expiresIn: unknown
  user: User | null
  /** Where the token came from (login:success reports it; the route's `user` is optional). */
  via: 'header' | 'login-route'
}

/** One trip of a call to the server: its answer, or why it got none. */
type Attempt = Response | AuthKitError

/** Transport failures and 502/503/504 are retried this many times, for idempotent calls. */
const MAX_RETRIES = 2
/** Backoff before retry n (0-based): 500 ms, then 1 s. */
const backoffMs = (retry: number) => 500 * 2 ** retry
/** Interrupted by the background, an idempotent call is resent on show at most this often. */
const MAX_RESUMES = 3
const RETRYABLE_STATUS = [502, 503, 504]

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const ignore = () => {}
const asKitError = (e: unknown) =>
  e instanceof AuthKitError ? e : new AuthKitError('network', String(e), { cause: e })

/** The kit's engine: session, single-flight login, request pipeline, logout. */
export const createCore = (userOptions: AuthOptions) => {
  const options = resolveOptions(userOptions)
  const { baseUrl, storageKey, loginBudget } = options
  const store = createStore()
  const { on, emit } = createEmitter()
  const inSlot = createQueue(options.maxConcurrentRequests)
  const appShown = watchVisibility()
  const tasks = new Set<WechatMiniprogram.RequestTask>()
  /** Guards of running calls, all released by logout. */
  const logoutListeners = new Set<() => void>()
  let session: Session | null = loadSession(storageKey)
  /** The token of this instance's last login, until refused: the breaker counts its refusal. */
  let freshToken: string | undefined
  /** The one login in flight; every call that needs a session waits on it. */
  let loginInFlight: Promise<void> | null = null
  /** Bumped by logout: work started before it must not touch the new state. */
  let generation = 0
  /** Retry-After of a login answer: no login attempt before this time. */
  let noLoginBefore = 0
  /** False once the server answered a cold X-WX-Code call without a session: log in by route. */
  let coldPathWorks = true

  const liveSession = () => (session && Date.now() < session.expiresAt ? session : null)
  const currentToken = () => liveSession()?.token
  const newCode = () => fetchLoginCode(options.loginTimeoutMs)
  // wx.login off the critical path: a code obtained ahead of need while no session is held or
  // coming, and not while a Retry-After postpones logins
  const codes = options.prefetchLoginCode
    ? createCodePrefetch(
        newCode,
        () => !!(liveSession() || loginInFlight) || Date.now() < noLoginBefore,
      )
    : { take: newCode, prefetch: ignore }
  const abortedByLogout = () => new AuthKitError('aborted', 'logout')

  /** A POST to one of the kit's own routes (login, logout), bounded by its own timeout. */
  const postToRoute = (path: string, data: object | undefined, credentials: Credentials) => {
    const url = joinUrl(baseUrl, path)
    const post = buildRequest(url, { url, method: 'POST', data }, credentials, options.timeoutMs)
    return inSlot(() => sendRequest(post, tasks))
  }

  // ---- the loop breaker ----
  // It counts refusals: logins whose fresh token the server then answered with 401. With
  // `loginBudget.max` of them in the last `perMs` it trips; it re-arms `perMs` after tripping, or
  // when the app calls ensureLogin(). Refusals dated in the future (clock moved back) are ignored.
  let refusals: number[] = []
  let trippedAt: number | null = null

  const rearmBreaker = () => {
    refusals = []
    trippedAt = null
  }

  /** Whether the breaker lets a login run now; trips it (and says so) when its window is full. */
  const breakerAllows = (now: number) => {
    const { max, perMs } = loginBudget
    if (trippedAt !== null && (now - trippedAt >= perMs || now < trippedAt)) rearmBreaker()
    refusals = refusals.filter((at) => at <= now && at > now - perMs)
    if (trippedAt === null && refusals.length >= max) {
      trippedAt = now
      emit({ type: 'loop:tripped', logins: refusals.length, perMs })
    }
    return trippedAt === null
  }

  // ---- logins ----

  /** Why no login may start now (breaker tripped, Retry-After pending), or null. */
  const loginRefusal = (now: number): AuthKitError | null => {
    if (!breakerAllows(now)) {
      store.setStatus('error')
      return new AuthKitError('login_loop', 'login loop')
    }
    if (now < noLoginBefore)
      return new AuthKitError('login_failed', 'Retry-After', {
        retryAfterMs: noLoginBefore - now,
      })
    return null
  }

  const postponeLoginsAfter = (r: Response) => {
    const waitMs = retryAfterMs(r)
    if (waitMs) noLoginBefore = Date.now() + waitMs
  }

  const installSession = (grant: Grant) => {
    session = saveSession(storageKey, grant.token, lifetimeFromSeconds(grant.expiresIn), grant.user)
    freshToken = grant.token
    store.setSession(grant.user)
  }

  /** After a login ended without a session, or a session ended: the status the store shows. */
  const showStatusWithoutLogin = () =>
    store.setStatus(liveSession() ? 'authenticated' : trippedAt !== null ? 'error' : 'anonymous')

  /** A failed login's error: aborts, interruptions and breaker refusals keep their own code. */
  const asLoginError = (e: unknown) => {
    const error = asKitError(e)
    if (!['login_failed', 'login_loop', 'aborted'].includes(error.code) && !isInterruption(error))
      error.code = 'login_failed'
    return error
  }

  /**
   * Runs one login (breaker, status, events) and makes it the login in flight. `exchange` turns a
   * fresh code into a grant, or into the reason the answer carried no session: then the login
   * resolves without one (the call that carried the code reports its own answer).
   */
  const startLogin = (
    reason: LoginReason,
    exchange: (code: string) => Promise<Grant | AuthKitError>,
  ) => {
    const startedIn = generation
    const startedAt = Date.now()
    const stillCurrent = () => {
      if (startedIn !== generation) throw abortedByLogout()
    }
    const reportFailure = (error: AuthKitError) => {
      showStatusWithoutLogin()
      emit({
        type: 'login:failure',
        durationMs: Date.now() - startedAt,
        code: error.code,
        message: error.message,
      })
    }
    const login = (async () => {
      const refusal = loginRefusal(startedAt)
      if (refusal) throw refusal
      // a held session being renewed stays logged in for the user
      if (reason !== 'renew') store.setStatus('logging-in')
      emit({ type: 'login:start', reason })
      try {
        const code = await codes.take()
        stillCurrent()
        const grant = await exchange(code)
        stillCurrent()
        // the call that carried the code reports its own answer; waiters fall back
        if (grant instanceof AuthKitError) return reportFailure(grant)
        installSession(grant)
        emit({
          type: 'login:success',
          durationMs: Date.now() - startedAt,
          via: grant.via,
        })
        if (reason === 'renew') emit({ type: 'session:renewed' })
      } catch (e) {
        const error = asLoginError(e)
        if (startedIn === generation) reportFailure(error)
        throw error
      }
    })()
    loginInFlight = login
    const landed = () => {
      if (loginInFlight === login) loginInFlight = null
    }
    login.then(landed, landed)
    return login
  }

  /** Joins the login in flight, or starts one through `POST loginPath`. */
  const loginThroughRoute = (reason: LoginReason) =>
    loginInFlight ||
    startLogin(reason, async (code) => {
      // a logout meanwhile makes startLogin drop the answer
      const answer = await postToRoute(options.loginPath, { code }, {})
      postponeLoginsAfter(answer)
      const body = answer.data as { token?: unknown; expiresIn?: unknown; user?: User } | null
      if (!isSuccess(answer) || typeof body?.token !== 'string')
        throw responseError(answer, 'login_failed')
      return {
        token: body.token,
        expiresIn: body.expiresIn,
        user: body.user || null,
        via: 'login-route',
      }
    })

  /**
   * The cold path: this call carries a fresh code in X-WX-Code and is the login (one round
   * trip); calls arriving meanwhile wait for its answer. Resolves with the call's own attempt.
   */
  const sendAsColdLogin = (guard: CallGuard, url: string, o: RequestOptions) => {
    let attempt: Attempt | undefined
    const login = startLogin('cold', async (code) => {
      const answer = (attempt = (await sendInSlot(guard, url, o, { code }))!)
      if (answer instanceof AuthKitError) return answer
      postponeLoginsAfter(answer)
      const token = answer.header['x-session-token']
      if (token)
        return {
          token,
          expiresIn: answer.header['x-session-expires-in'],
          user: null,
          via: 'header',
        }
      // The server answered but gave no session: it does not speak X-WX-Code, or a proxy
      // stripped the header. Later logins go through the login route.
      if (answer.statusCode === 401 || (isSuccess(answer) && !hasUnparsedBody(answer)))
        coldPathWorks = false
      return new AuthKitError('login_failed', 'no session in the answer')
    })
    // its own answer, when it got one, is what the call reports
    return login.then(
      () => attempt!,
      (e: unknown) => attempt || Promise.reject(e),
    )
  }

  // ---- requests ----

  /**
   * Drops the current token when the server refused it and starts one renewal, decided before
   * the slot frees so no queued call leaves with a dead token. A 401 for an older token is just
   * retried with the current one. Returns the renewal to wait for, if any.
   */
  const onUnauthorized = (sentToken: string | undefined, mayRenew: boolean) => {
    const current = currentToken()
    const refusedCurrent = !!sentToken && sentToken === session?.token
    if (refusedCurrent) {
      if (sentToken === freshToken) refusals.push(Date.now())
      freshToken = undefined
      session = null
      clearSession(storageKey)
      if (!mayRenew) showStatusWithoutLogin()
    }
    if (!mayRenew || (current && sentToken !== current)) return undefined
    const renewal = loginThroughRoute(refusedCurrent ? 'renew' : 'cold')
    renewal.catch(ignore)
    return renewal
  }

  /** An answer that options.isSessionExpired recognises goes down the 401 path (re-login, one retry). */
  const expiredAs401 = (response: Response): Response => {
    try {
      if (response.statusCode !== 401 && options.isSessionExpired(response))
        return { ...response, statusCode: 401 }
    } catch {
      // a throwing predicate leaves the answer as it is
    }
    return response
  }

  /**
   * One wx.request under the concurrency cap, with the given credentials or, when none are given,
   * the session's token taken as the slot frees. It then returns null when a login started while
   * it waited for the slot (the caller waits for that login, then resends).
   */
  const sendInSlot = (
    guard: CallGuard,
    url: string,
    o: RequestOptions,
    credentials?: Credentials,
    renewal?: { allowed: boolean; started?: Promise<void> },
  ) => {
    const sentIn = generation
    return inSlot(async (): Promise<Attempt | null> => {
      const ended = guard.endedBy()
      if (ended) return ended
      if (!credentials && loginInFlight) return null
      const sent = credentials || { token: currentToken() }
      try {
        const answer = await sendRequest(buildRequest(url, o, sent, guard.remaining()), tasks)
        const response = credentials ? answer : expiredAs401(answer)
        if (sentIn !== generation) return abortedByLogout()
        if (!credentials) {
          // a 401 refuses the token it was sent with: no successor on it is taken
          if (response.statusCode === 401)
            renewal!.started = onUnauthorized(sent.token, renewal!.allowed)
          else adoptRotatedToken(response, sent.token)
        }
        return response
      } catch (e) {
        return asKitError(e)
      }
    })
  }

  /**
   * Sends the call once, logging in first when it needs a session and none is held. Every
   * decision is taken synchronously after the last wait, so two calls never both start a login.
   */
  const attemptCall = async (
    guard: CallGuard,
    url: string,
    o: RequestOptions,
    mode: 'required' | 'optional' | 'none',
    renewal: { allowed: boolean; started?: Promise<void> },
  ): Promise<Attempt> => {
    const usesSession = mode !== 'none'
    let waitedForLogin = false
    for (;;) {
      if (usesSession && loginInFlight) {
        waitedForLogin = true
        await guard.watch(loginInFlight)
        continue
      }
      if (mode === 'required' && !liveSession()) {
        // calls that waited on a login that brought no session share one login-route exchange
        if (coldPathWorks && !waitedForLogin) return guard.watch(sendAsColdLogin(guard, url, o))
        waitedForLogin = true
        await guard.watch(loginThroughRoute('cold'))
        continue
      }
      const attempt = await guard.watch(
        sendInSlot(guard, url, o, usesSession ? undefined : {}, renewal),
      )
      if (attempt) return attempt
    }
  }

  /** The call's outcome from one attempt: the answer, or the error to reject with. */
  const judge = (answer: Attempt, expectsJson: boolean) => {
    if (answer instanceof AuthKitError) return answer
    if (!isSuccess(answer)) return responseError(answer, 'http')
    if (expectsJson && hasUnparsedBody(answer)) return responseError(answer, 'invalid_response')
    return answer
  }

  /** The delay before retrying `error`, or null when the call must not be sent again. */
  const retryDelay = (error: AuthKitError, attempt: Attempt, retries: number, guard: CallGuard) => {
    const transient =
      attempt instanceof AuthKitError
        ? error.code === 'network'
        : RETRYABLE_STATUS.includes(attempt.statusCode)
    if (!transient || retries >= MAX_RETRIES) return null
    const delay = Math.max(backoffMs(retries), error.retryAfterMs || 0)
    // a retry that could not finish before the deadline is not started
    return delay < guard.remaining() ? delay : null
  }

  const runCall = async <T>(o: RequestOptions, guard: CallGuard): Promise<ApiResponse<T>> => {
    const url = joinUrl(baseUrl, o.url)
    // only our own server gets the token, the code and the session handling
    const mode = isUnderBase(baseUrl, url) ? o.auth || 'optional' : 'none'
    const retryable = isIdempotent(o)
    const renewal: { allowed: boolean; started?: Promise<void> } = { allowed: true }
    for (let retries = 0, resumes = 0; ;) {
      renewal.started = undefined
      // a failed login the call waited on is its outcome too (the same error for every waiter)
      const attempt = await attemptCall(guard, url, o, mode, renewal).catch(asKitError)
      const outcome = judge(attempt, o.dataType !== 'text')
      if (!(outcome instanceof AuthKitError)) return outcome as ApiResponse<T>
      if (!(attempt instanceof AuthKitError) && attempt.statusCode === 401 && mode !== 'none') {
        if (renewal.allowed) {
          renewal.allowed = false
          await guard.watch(renewal.started)
          continue
        }
        throw outcome
      }
      if (isInterruption(outcome) && retryable) {
        // cut once more than it may be resent: the call fails as the network did
        if (resumes++ >= MAX_RESUMES) throw outcome
        // the background cut it: resend when the app shows again, the deadline paused meanwhile
        guard.pause()
        await guard.watch(appShown())
        guard.resume()
        continue
      }
      const delay = retryDelay(outcome, attempt, retries, guard)
      if (delay === null || !retryable) throw outcome
      await guard.watch(sleep(delay))
      retries++
    }
  }

  /** Runs `work` within a call's bounds, recording its rejection in store.lastError. */
  const bounded = async <T>(timeoutMs: number, work: (guard: CallGuard) => Promise<T>) => {
    const guard = createCallGuard(timeoutMs, logoutListeners)
    try {
      const result = await guard.watch(work(guard))
      store.setError(null)
      return result
    } catch (e) {
      throw recorded(asKitError(e))
    } finally {
      guard.finish()
    }
  }

  /** Records a rejection in store.lastError and returns it. */
  const recorded = (error: AuthKitError) => {
    store.setError({ code: error.code, message: error.message })
    return error
  }

  const request = <T>(o: RequestOptions) =>
    bounded(o.timeoutMs || options.timeoutMs, (guard) => runCall<T>(o, guard))

  /** A live session, logging in through the login route when there is none. */
  const ensureSession = () =>
    bounded(options.timeoutMs, async (guard) => {
      // joins the login in flight; one that brought no session is followed by the login route
      while (!liveSession()) await guard.watch(loginThroughRoute('user'))
    })

  /** The app's ensureLogin (a user action): re-arms a tripped loop breaker first. */
  const ensureLoginFromApp = () => {
    rearmBreaker()
    if (store.status === 'error') showStatusWithoutLogin()
    return ensureSession()
  }

  /**
   * Sliding sessions: an answer to a call sent with the current token may carry its successor
   * (X-Session-Token, X-Session-Expires-In); it replaces the session in memory and storage. Calls
   * in flight keep the token they were sent with (the server honours it for a grace period). Only
   * calls under baseUrl are sent with a token, so another origin's header is never taken. Never
   * called for a 401.
   */
  const adoptRotatedToken = (r: Response, sentToken: string | undefined) => {
    const token = r.header['x-session-token']
    if (options.adoptRotatedTokens && token && sentToken && sentToken === session?.token)
      session = saveSession(
        storageKey,
        token,
        lifetimeFromSeconds(r.header['x-session-expires-in']),
        session.user,
      )
  }

  /** Resets everything local at once; the server revoke runs on in the background. */
  const logout = async () => {
    const token = session?.token
    generation++
    loginInFlight = null
    rearmBreaker()
    freshToken = undefined
    session = null
    clearSession(storageKey)
    tasks.forEach((task) => task.abort())
    ;[...logoutListeners].forEach((release) => release())
    store.reset()
    emit({ type: 'logout' })
    if (token) revokeInBackground(token)
    // everything local is reset, the code held for the next login included
    codes.prefetch(true)
  }

  /** Best effort: the local session is gone whatever the server answers. */
  const revokeInBackground = (token: string) =>
    postToRoute(options.logoutPath, undefined, { token }).catch(ignore)

  if (session) {
    store.setSession(session.user)
    const expiresInMs = session.expiresAt - Date.now()
    // after createAuth returns, so a listener subscribed right away sees it
    Promise.resolve().then(() => emit({ type: 'session:restored', expiresInMs }))
  }

  // user changes after login (profile, phone) are persisted with the session
  reaction(
    () => toJS(store.user),
    (user) => {
      if (session)
        session = saveSession(storageKey, session.token, session.expiresAt - Date.now(), user)
    },
  )

  codes.prefetch()

  const ctx: KitContext = {
    options,
    store,
    request,
    ensureLogin: ensureSession,
    wxLogin: () => newCode().catch((e: AuthKitError) => Promise.reject(recorded(e))),
    emit,
    fail: (code, message, extra) => recorded(new AuthKitError(code, message, extra)),
    token: () => currentToken() || null,
  }
  return { ctx, logout, ensureLoginFromApp, on }
}
