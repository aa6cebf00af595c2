import { reaction, toJS } from 'mobx-miniprogram'
import { resolveOptions, type KitContext } from './context'
import { AuthKitError } from './errors'
import { createEmitter } from './events'
import { createBudget, wxLogin } from './login'
import { createQueue } from './queue'
import { clearSession, loadSession, saveSession, type Session } from './session'
import { createStore } from './store'
import { build, info, xfer, type Resp } from './transport'
import type { ApiResponse, AuthErrorCode, AuthOptions, RequestOptions, User } from './types'

type Reason = 'cold' | 'renew' | 'user'
/** What a code exchange yields: token, lifetime in seconds (as sent), user if known. */
type Got = [string, unknown, User | null]

/** The kit's engine: session, single-flight login, request pipeline, logout. */
export const createCore = (opts: AuthOptions) => {
  const options = resolveOptions(opts)
  const { baseUrl, storageKey: key, loginBudget: lb } = options
  const store = createStore()
  const { on, emit } = createEmitter()
  const queue = createQueue(options.maxConcurrentRequests)
  const budget = createBudget(lb.max, lb.perMs)
  const tasks = new Set<WechatMiniprogram.RequestTask>()
  let session: Session | null = loadSession(key)
  /** The one login in flight; every caller that needs a session waits on it. */
  let flight: Promise<void> | null = null
  /** Bumped by logout: work started before it must not touch the new state. */
  let epoch = 0
  let tripped = false

  const err = (code: AuthErrorCode, message: string, extra?: Partial<AuthKitError>) =>
    new AuthKitError(code, message, extra)
  const fail = (code: AuthErrorCode, message: string, extra?: Partial<AuthKitError>) => {
    store.setError({ code, message })
    return err(code, message, extra)
  }
  const noop = () => {}
  const live = () => (session && Date.now() < session.e ? session : null)
  const chk = (ep: number) => {
    if (ep != epoch) throw err('aborted', 'logout')
  }
  /** One wx.request under the concurrency cap, refused once a logout happened. */
  const go = (ep: number, ro: RequestOptions, tok?: string, code?: string) =>
    queue.run(async () => {
      chk(ep)
      return xfer(build(baseUrl, ro, tok, code), tasks)
    })

  /** An answer options.isSessionExpired recognises goes down the 401 path (re-login, one retry). */
  const expiredAs401 = (r: Resp): Resp => {
    if (r.statusCode == 401) return r
    let expired = false
    try {
      expired = options.isSessionExpired(r)
    } catch {
      // a throwing predicate leaves the answer as it is
    }
    return expired ? { ...r, statusCode: 401 } : r
  }

  /** Runs one login (budget, status, events); `exchange` turns a fresh code into a session. */
  const login = (reason: Reason, exchange: (code: string) => Promise<Got>) => {
    const ep = epoch
    const t0 = Date.now()
    const p: Promise<void> = (flight = (async () => {
      if (tripped || !budget.take(t0)) {
        if (!tripped) {
          tripped = true
          store.setStatus('error')
          emit({ type: 'loop:tripped', logins: budget.used, perMs: lb.perMs })
        }
        throw fail('login_loop', 'too many logins')
      }
      store.setStatus('logging-in')
      emit({ type: 'login:start', reason })
      try {
        const [t, x, u] = await exchange(await wxLogin(fail))
        chk(ep)
        const sec = +(x as number)
        // no usable lifetime given: assume WeChat's customary 2 h and let a 401 correct it
        session = saveSession(key, t, (sec > 0 ? sec : 7200) * 1000, u)
        store.setSession(u)
        emit({
          type: 'login:success',
          durationMs: Date.now() - t0,
          via: reason == 'cold' && !u ? 'header' : 'login-route',
        })
        if (reason == 'renew') emit({ type: 'session:renewed' })
      } catch (e) {
        const x =
          e instanceof AuthKitError && /^(login_failed|aborted)$/.test(e.code)
            ? e
            : fail('login_failed', (e as Error).message, { cause: e })
        if (ep == epoch) {
          store.setStatus(live() ? 'authenticated' : 'anonymous')
          emit({
            type: 'login:failure',
            durationMs: Date.now() - t0,
            code: x.code,
            message: x.message,
          })
        }
        throw x
      }
    })().finally(() => {
      if (flight == p) flight = null
    }))
    return p
  }

  /** Joins the login in flight, or starts one through the login route. */
  const relogin = (reason: Reason) => {
    const ep = epoch
    return (
      flight ||
      login(reason, async (code) => {
        const r = await go(ep, { url: options.loginPath, method: 'POST', data: { code } })
        const d = r.data as { token?: unknown; expiresIn?: unknown; user?: User } | null
        if (r.statusCode > 299 || typeof d?.token != 'string')
          throw fail('login_failed', ...info(r))
        return [d.token, d.expiresIn, d.user || null]
      })
    )
  }

  const ensureLogin = async () => {
    // an explicit call (a user action) re-arms the loop breaker
    if (tripped) {
      tripped = false
      budget.reset()
      store.setStatus(live() ? 'authenticated' : 'anonymous')
    }
    while (flight) await flight
    if (!live()) await relogin('user')
  }

  const request = async <T>(ro: RequestOptions): Promise<ApiResponse<T>> => {
    const ep = epoch
    const mode = ro.auth || 'optional'
    const auth = mode != 'none'
    const idem = !!ro.idempotencyKey || /^(GET|HEAD|PUT|DELETE)$/.test(ro.method || 'GET')
    for (let tries = 0, retried = 0; ;) {
      let r = null as Resp | null
      let tok: string | undefined
      let e: unknown
      let lp: Promise<void> | undefined
      try {
        if (auth) {
          while (flight) await flight
          chk(ep)
          // Cold start: this call carries the code and is the login (one round trip);
          // the others wait for its answer and then go with the token.
          if (mode == 'required' && !live())
            await login('cold', async (code) => {
              const a = await go(ep, ro, undefined, code)
              const t = a.header['x-session-token']
              if (!t) throw fail('login_failed', ...info(a))
              r = a
              return [t, a.header['x-session-expires-in'], null]
            })
        }
        r =
          r ||
          (await queue.run(async () => {
            chk(ep)
            // a login started while this call was queued: wait for it, never send a stale token
            if (auth && flight) return null
            tok = auth ? live()?.t : undefined
            const a = auth
              ? expiredAs401(await xfer(build(baseUrl, ro, tok), tasks))
              : await xfer(build(baseUrl, ro, tok), tasks)
            chk(ep)
            if (a.statusCode == 401 && auth) {
              // Stale-401 guard, decided before this slot frees so no queued call leaves with a
              // dead token: a 401 for the current token (or none) drops it and starts one login;
              // a 401 for an older token is just retried with the current one.
              const cur = live()?.t
              if (tok && tok == session?.t) {
                session = null
                clearSession(key)
                store.setStatus(tripped ? 'error' : 'anonymous')
              }
              if (!retried && (!cur || tok == cur))
                (lp = relogin(tok ? 'renew' : 'cold')).catch(noop)
            }
            return a
          }))
        if (!r) continue
      } catch (x) {
        e = x
      }
      // Transport failure or 502/503/504: idempotent calls retry twice with backoff; never a login.
      if (
        idem &&
        tries < 2 &&
        (r
          ? /^50[234]$/.test('' + r.statusCode)
          : e instanceof AuthKitError && /^(network|timeout)$/.test(e.code))
      ) {
        await new Promise((f) => setTimeout(f, 500 << tries++))
        continue
      }
      if (!r) throw e
      chk(ep)
      if (r.statusCode == 401 && auth && !retried++) {
        await lp
        continue
      }
      if (r.statusCode > 299 || r.statusCode < 200) throw err('http', ...info(r))
      return r as ApiResponse<T>
    }
  }

  const logout = async () => {
    const tok = session?.t
    epoch++
    session = flight = null
    tripped = false
    budget.reset()
    clearSession(key)
    queue.clear(err('aborted', 'logout'))
    tasks.forEach((t) => t.abort())
    store.reset()
    emit({ type: 'logout' })
    // best effort: the local session is gone whatever the server answers
    if (tok) await go(epoch, { url: options.logoutPath, method: 'POST' }, tok).catch(noop)
  }

  if (session) {
    store.setSession(session.u)
    const expiresInMs = session.e - Date.now()
    // after createAuth returns, so a listener subscribed right away sees it
    Promise.resolve().then(() => emit({ type: 'session:restored', expiresInMs }))
  }

  // user changes after login (profile, phone) are persisted with the session
  reaction(
    () => toJS(store.user),
    (u) => {
      if (session) session = saveSession(key, session.t, session.e - Date.now(), u)
    },
  )

  const ctx: KitContext = {
    options,
    store,
    request,
    ensureLogin,
    wxLogin: () => wxLogin(fail),
    emit,
    fail,
    token: () => live()?.t || null,
  }
  return { ctx, logout, on }
}
