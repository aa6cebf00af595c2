// Privacy protection (platform doc §7): getPrivacySetting, requirePrivacyAuthorize, the
// overwrite-style onNeedPrivacyAuthorization, openPrivacyContract, and the gate every privacy
// API goes through. A disagree makes the gated call fail with
// `<api>:fail privacy permission is not authorized`, errno 104. `resolve({event:'agree'})` is
// honoured only with the id of an agree button the user tapped (control.tapAgreePrivacy).
// An API not declared in the MP admin's privacy guide fails with errno 112 whatever the user
// agreed to (a configuration error: no popup). With no listener registered, the platform shows
// its own popup (a 'privacy' dialog). `wx.offNeedPrivacyAuthorization` is not in the typings and
// missing on some base libraries (OBS: public code feature-detects it), so the fake has it by
// default and a test can take it away (control.setPrivacyOffSupported(false)).
import { WxFail, wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'

export type PrivacyResolveArg =
  { event: 'agree'; buttonId?: string } | { event: 'disagree' } | { event: 'exposureAuthorization' }
export type PrivacyListener = (
  resolve: (r: PrivacyResolveArg) => void,
  eventInfo: { referrer: string },
) => void

interface PrivacyState {
  needAuthorization: boolean
  contractName: string
  listener: PrivacyListener | null
  /** Agree buttons tapped (their ids), since the last setPrivacy. */
  tapped: Set<string>
  /** When the official popup was last refused: calls within 10 s fail without a popup. */
  refusedAt: number | null
  log: Array<{ referrer: string; event: string; buttonId?: string; honoured: boolean }>
  contractOpened: number
  /** Privacy APIs missing from the privacy guide: they fail with errno 112. */
  undeclared: Set<string>
  offSupported: boolean
}

const states = new WeakMap<FakeWxContext, PrivacyState>()

/** This context's privacy state (created on first use: no collection declared, nothing gated). */
export function privacyOf(ctx: FakeWxContext): PrivacyState {
  let s = states.get(ctx)
  if (!s) {
    s = {
      needAuthorization: false,
      contractName: '《点餐小程序隐私保护指引》',
      listener: null,
      tapped: new Set(),
      refusedAt: null,
      log: [],
      contractOpened: 0,
      undeclared: new Set(),
      offSupported: true,
    }
    states.set(ctx, s)
  }
  return s
}

/**
 * The privacy gate of a privacy API: passes at once when no authorization is needed; otherwise
 * asks the app's listener (or shows the official popup when none is registered) and fails with
 * errno 104 on disagree.
 */
export async function privacyGate(ctx: FakeWxContext, api: string, referrer = api): Promise<void> {
  const s = privacyOf(ctx)
  if (s.undeclared.has(api))
    throw new WxFail(api, 'api scope is not declared in the privacy agreement', 112)
  if (!s.needAuthorization) return
  const denied = () => new WxFail(api, 'privacy permission is not authorized', 104)
  const listener = s.listener
  if (listener) {
    const r = await new Promise<PrivacyResolveArg>((done) => {
      listener(
        (a) => {
          const agree = a.event === 'agree'
          const honoured = agree ? !!a.buttonId && s.tapped.has(a.buttonId) : true
          s.log.push({
            referrer,
            event: a.event,
            buttonId: agree ? a.buttonId : undefined,
            honoured,
          })
          if (a.event !== 'exposureAuthorization' && honoured) done(a)
        },
        { referrer },
      )
    })
    if (r.event !== 'agree') throw denied()
    s.needAuthorization = false
    return
  }
  if (s.refusedAt !== null && ctx.clock.now() - s.refusedAt < 10_000) throw denied()
  const a = await ctx.dialogs.open('privacy', api, { referrer, contractName: s.contractName })
  if (a !== 'confirm') {
    s.refusedAt = ctx.clock.now()
    throw denied()
  }
  s.needAuthorization = false
}

export function privacyApis(ctx: FakeWxContext) {
  const s = privacyOf(ctx)
  const wx = {
    getPrivacySetting: wxAsync('getPrivacySetting', async (_o: object) => ({
      needAuthorization: s.needAuthorization,
      privacyContractName: s.contractName,
    })),
    requirePrivacyAuthorize: wxAsync('requirePrivacyAuthorize', async (_o: object) => {
      await privacyGate(ctx, 'requirePrivacyAuthorize')
      return {}
    }),
    /** Overwrite-style: the last registration wins. */
    onNeedPrivacyAuthorization(listener: PrivacyListener): void {
      s.listener = listener
    },
    /** Removes the listener (the given one, or any): the official popup shows again. */
    get offNeedPrivacyAuthorization(): ((listener?: PrivacyListener) => void) | undefined {
      if (!s.offSupported) return undefined
      return (listener?: PrivacyListener) => {
        if (!listener || listener === s.listener) s.listener = null
      }
    },
    openPrivacyContract: wxAsync('openPrivacyContract', async (_o: object) => {
      s.contractOpened++
      return {}
    }),
  }
  const control = {
    /** Sets whether privacy authorization is needed (and the contract name); forgets taps. */
    setPrivacy(o: { needAuthorization?: boolean; contractName?: string }) {
      if (o.needAuthorization !== undefined) s.needAuthorization = o.needAuthorization
      if (o.contractName !== undefined) s.contractName = o.contractName
      s.tapped.clear()
      s.refusedAt = null
    },
    /**
     * The user taps `<button id={buttonId} open-type="agreePrivacyAuthorization">`: consent is
     * recorded, and a pending request may now be resolved with `{event:'agree', buttonId}`.
     */
    tapAgreePrivacy(buttonId: string) {
      s.tapped.add(buttonId)
      s.needAuthorization = false
    },
    /** These privacy APIs (e.g. 'getLocation') are not declared in the privacy guide: errno 112. */
    setUndeclaredPrivacyApis(apis: string[]) {
      s.undeclared = new Set(apis)
    },
    /** Whether this base library has wx.offNeedPrivacyAuthorization (default true). */
    setPrivacyOffSupported(on: boolean) {
      s.offSupported = on
    },
    /** Official privacy popups the platform showed (no listener was registered). */
    get officialPrivacyPopups(): number {
      return ctx.dialogs.history.filter((d) => d.kind === 'privacy').length
    },
    get needPrivacyAuthorization(): boolean {
      return s.needAuthorization
    },
    get hasPrivacyListener(): boolean {
      return s.listener !== null
    },
    /** Every resolve the app's listener got, with whether the platform honoured it. */
    get privacyResolves(): ReadonlyArray<PrivacyState['log'][number]> {
      return s.log
    },
    get privacyContractOpened(): number {
      return s.contractOpened
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
