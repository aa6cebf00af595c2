// Scopes and settings (platform doc §6): the authSetting state machine behind getSetting,
// authorize and openSetting, plus the subscription settings. getSetting lists only scopes already
// asked (absent = unasked); authorize pops up for an unasked scope, succeeds silently for a
// granted one and fails at once, without a popup, for a refused one; openSetting needs a tap.
import { WxFail, wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { requireTap } from './gesture'

export type ItemSetting = 'accept' | 'reject' | 'ban'

interface SettingsState {
  /** Asked scopes only: true granted, false refused. */
  auth: Record<string, boolean>
  mainSwitch: boolean
  /** itemSettings: only the choices the user made permanent (总是保持以上选择). */
  items: Record<string, ItemSetting>
  /** The reason text of a refusal: ' auth deny' (iOS), ':auth deny' or ' auth denied' (Android). */
  deny: string
  calls: { getSetting: number; authorize: number; openSetting: number }
}

const states = new WeakMap<FakeWxContext, SettingsState>()

export function settingsOf(ctx: FakeWxContext): SettingsState {
  let s = states.get(ctx)
  if (!s) {
    s = {
      auth: {},
      mainSwitch: true,
      items: {},
      deny: ' auth deny',
      calls: { getSetting: 0, authorize: 0, openSetting: 0 },
    }
    states.set(ctx, s)
  }
  return s
}

/** A WxFail with a verbatim errMsg (for platform variants like `authorize:fail:auth deny`). */
export class RawWxFail extends WxFail {
  constructor(errMsg: string, errno?: number) {
    super('', '', errno)
    ;(this as { errMsg: string }).errMsg = errMsg
  }
}

/** `<api>:fail auth deny` in the configured variant. */
export const authDeny = (ctx: FakeWxContext, api: string) =>
  new RawWxFail(api + ':fail' + settingsOf(ctx).deny)

/** Cancelled or withdrawn: these scopes answer true at once (platform doc §6). */
const NO_POPUP = new Set(['scope.userInfo', 'scope.address', 'scope.invoice', 'scope.invoiceTitle'])

/** The scope check of `api` (authorize, getLocation, ...): popup only when unasked. */
export async function checkScope(ctx: FakeWxContext, api: string, scope: string): Promise<void> {
  const s = settingsOf(ctx)
  if (NO_POPUP.has(scope)) s.auth[scope] = true
  if (s.auth[scope] === true) return
  if (s.auth[scope] === false) throw authDeny(ctx, api)
  const a = await ctx.dialogs.open('authorize', api, { scope })
  s.auth[scope] = a === 'confirm'
  if (a !== 'confirm') throw authDeny(ctx, api)
}

export interface SubscriptionsSettingResult {
  mainSwitch: boolean
  itemSettings?: Record<string, ItemSetting>
}

export interface OpenSettingResult {
  authSetting: Record<string, boolean>
  subscriptionsSetting?: SubscriptionsSettingResult
}

/**
 * getSetting's and openSetting's answer. `subscriptionsSetting` comes only when asked for with
 * `withSubscriptions: true` (miniprogram-api-typings, GetSettingSuccessCallbackResult and
 * OpenSettingSuccessCallbackResult: "用户订阅消息设置，接口参数withSubscriptions值为true时才会返回").
 */
function snapshot(s: SettingsState, withSubscriptions: boolean): OpenSettingResult {
  const authSetting = { ...s.auth }
  return withSubscriptions
    ? { authSetting, subscriptionsSetting: subscriptionsOf(s) }
    : { authSetting }
}

const subscriptionsOf = (s: SettingsState): SubscriptionsSettingResult => ({
  mainSwitch: s.mainSwitch,
  itemSettings: { ...s.items },
})

/** The settings page: open until answered (the test toggles scopes meanwhile), then its state. */
async function settingsPage(
  ctx: FakeWxContext,
  api: string,
  withSubscriptions: boolean,
): Promise<OpenSettingResult> {
  const s = settingsOf(ctx)
  s.calls.openSetting++
  await ctx.dialogs.open('settings', api, { authSetting: { ...s.auth } })
  return snapshot(s, withSubscriptions)
}

export function settingsApis(ctx: FakeWxContext) {
  const s = settingsOf(ctx)
  const wx = {
    getSetting: wxAsync('getSetting', async (o: { withSubscriptions?: boolean }) => {
      s.calls.getSetting++
      return snapshot(s, !!o.withSubscriptions)
    }),
    authorize: wxAsync('authorize', async (o: { scope: string }) => {
      s.calls.authorize++
      await checkScope(ctx, 'authorize', o.scope)
      return {}
    }),
    openSetting: wxAsync('openSetting', async (o: { withSubscriptions?: boolean }) => {
      requireTap(ctx, 'openSetting')
      return settingsPage(ctx, 'openSetting', !!o.withSubscriptions)
    }),
  }
  const control = {
    /** Sets a scope: true granted, false refused, null never asked. */
    setScope(scope: string, value: boolean | null) {
      if (value === null) Reflect.deleteProperty(s.auth, scope)
      else s.auth[scope] = value
    },
    get authSetting(): Readonly<Record<string, boolean>> {
      return { ...s.auth }
    },
    /**
     * A template's permanent choice in itemSettings, as if the user had ticked 总是保持以上选择
     * (null removes it). 'reject' is then answered at once with no panel; only settings undo it.
     */
    setSubscription(tmplId: string, value: ItemSetting | null) {
      if (value === null) Reflect.deleteProperty(s.items, tmplId)
      else s.items[tmplId] = value
    },
    setSubscriptionMainSwitch(on: boolean) {
      s.mainSwitch = on
    },
    get subscriptionsSetting(): SubscriptionsSettingResult {
      return subscriptionsOf(s)
    },
    /** The refusal text variant: 'auth deny' (default), ':auth deny', 'auth denied'. */
    setAuthDenyVariant(v: 'auth deny' | ':auth deny' | 'auth denied') {
      s.deny = v.startsWith(':') ? v : ' ' + v
    },
    /**
     * The user taps `<button open-type="openSetting" bindopensetting>`: opens the settings
     * dialog and resolves the bindopensetting detail when the user comes back. The button takes
     * no withSubscriptions; its detail carries the subscription settings too.
     */
    async tapOpenSettingButton(): Promise<OpenSettingResult & { errMsg: string }> {
      return { ...(await settingsPage(ctx, 'openSetting', true)), errMsg: 'openSetting:ok' }
    },
    get getSettingCalls(): number {
      return s.calls.getSetting
    },
    get authorizeCalls(): number {
      return s.calls.authorize
    },
    get openSettingCalls(): number {
      return s.calls.openSetting
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
