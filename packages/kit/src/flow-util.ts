// Small helpers shared by the authorization flows (scope, profile, phone, privacy, subscribe).
import type { KitContext } from './context'
import type { AuthErrorCode, SubscriptionState, User } from './types'

/** A wx failure: `{ errMsg: '<api>:fail <reason>', errno? }`. */
export interface WxErr {
  errMsg: string
  errno?: number
}

/** What the flows are built on: the core's shared context. */
export type FlowCtx = KitContext

/**
 * Calls `wx[api]` callback-style and returns a Promise. The wx call happens synchronously, inside
 * the caller's turn, so a tap-only API called this way first in a tap handler keeps the gesture.
 */
export const call = <R>(api: string, o?: object): Promise<R> =>
  new Promise((success, fail) => {
    ;(wx as unknown as Record<string, (o: object) => void>)[api]!({ ...o, success, fail })
  })

/** wx.getSetting's answer: only the scopes already asked, and the subscription settings. */
export interface Setting {
  authSetting?: Record<string, boolean>
  subscriptionsSetting?: { itemSettings?: Record<string, SubscriptionState> }
}

/** wx.getSetting with the subscription settings (the scopes' and subscriptions' one source). */
export const getSetting = () => call<Setting>('getSetting', { withSubscriptions: true })

/** The wx failures every flow types alike (privacy, the tap rule): named by the kit's own code. */
type SharedKind = 'privacy_denied' | 'privacy_undeclared' | 'gesture_required'

/** A wx failure's kind ('' when unrecognised); 'privacy_undeclared' is errno 112, the app's privacy
 * guide lacks the API. */
export type WxFailKind = SharedKind | 'quota' | 'deny' | 'cancel' | ''

/**
 * Classifies a wx failure by errno first (104: the user has not agreed; 112: the API is not
 * declared in the privacy guide; 1400001: phone quota), then by substrings of the reason (its
 * text varies by platform, version and language): never by exact text. Platform doc §7, §10.
 */
export const kind = (e: unknown): WxFailKind => {
  const { errMsg = '', errno } = (e || {}) as WxErr
  const r = errMsg.split(':fail')[1] ?? errMsg
  return errno === 112 || (errno === undefined && /not declared/i.test(r))
    ? 'privacy_undeclared'
    : errno === 1400001
      ? 'quota'
      : errno === 104 || /privacy/i.test(r)
        ? 'privacy_denied'
        : /gesture/i.test(r)
          ? 'gesture_required'
          : /den|auth/i.test(r)
            ? 'deny'
            : /cancel/i.test(r)
              ? 'cancel'
              : ''
}

/** The privacy kinds (errno 104 disagreement, 112 undeclared API) are no answer to the flow. */
export const isPrivacy = (k: WxFailKind) => k.startsWith('privacy')

/** The failures every flow types alike, whose kind is already the kit's error code. */
const isShared = (k: WxFailKind): k is SharedKind => isPrivacy(k) || k === 'gesture_required'

/** Maps a wx failure to the kit's error (recorded in store.lastError); `code` for the rest. */
export const wxError = (ctx: FlowCtx, e: unknown, code: AuthErrorCode) => {
  const k = kind(e)
  return ctx.fail(isShared(k) ? k : code, (e as WxErr)?.errMsg ?? String(e), { cause: e })
}

/**
 * Sends `data` to one of the kit's user routes (session required) and stores the user from the
 * answer: a User, `{user}`, or a partial user (e.g. `{phone}`).
 */
export const saveUser = async (
  ctx: FlowCtx,
  path: 'mePath' | 'phonePath' | 'wechatProfilePath',
  method: 'POST' | 'PUT',
  data: object,
): Promise<User> => {
  const d = (await ctx.request<object>({ url: ctx.options[path], method, auth: 'required', data }))
    .data
  const u = { ...ctx.store.user, ...((d as { user?: User }).user ?? d) } as User
  ctx.store.setUser(u)
  return u
}
