// wx.requestSubscribeMessage as the platform doc (§6) describes it:
// - tap only; 1-5 template ids (empty: errCode 10001, more than 5: errCode 20003); the main
//   switch off: errCode 20004. Failures carry `errCode`, not `errno`.
// - per template: 'ban' when WeChat's back end banned it (nothing the user can fix), 'filter'
//   when an earlier template of the same call has the same title, the permanent choice when the
//   user ticked 总是保持以上选择 before (itemSettings 'accept'/'reject': answered at once, no
//   panel), otherwise one 'subscribe' panel for the rest: confirm -> each template's scripted
//   answer (default 'accept'), cancel -> 'reject'. Only a choice made with the keep-choice box
//   ticked is written to itemSettings.
// - every 'accept' is what WeChat's back end learns (one subscribe/send allowed): an accept
//   reporter (the headless runtime plugs the server simulator's /__sim/subscribe-accept) hears
//   of each one before the call resolves, so a send right after it finds the accept.
import { WxFail, wxAsync, type WxFailResult } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { requireTap } from './gesture'
import { settingsOf, type ItemSetting } from './settings'

export type SubscribeAnswer = ItemSetting | 'filter'

/** The documented errCodes of requestSubscribeMessage failures, with their reason texts. */
export const SUBSCRIBE_ERRORS = {
  10001: "TmplIds can't be empty",
  10002: 'Request list fail',
  10003: 'Request subscribe fail',
  10004: 'Invalid template id',
  10005: 'Cannot show UI',
  20001: 'No template data return, verify the template id exist',
  20002: 'Templates type must be same',
  20003: 'Templates count out of max bounds',
  20004: 'The main switch is switched off',
  20005: 'This mini program was banned from subscribing messages',
} as const

export type SubscribeErrCode = keyof typeof SUBSCRIBE_ERRORS

/** The most template ids one call accepts. */
export const MAX_SUBSCRIBE_IDS = 5

/** A requestSubscribeMessage failure: `{ errMsg, errCode }`. */
export class SubscribeFail extends WxFail {
  readonly errCode: SubscribeErrCode
  constructor(errCode: SubscribeErrCode) {
    super('requestSubscribeMessage', SUBSCRIBE_ERRORS[errCode])
    this.errCode = errCode
  }
  override toResult(): WxFailResult {
    return { errMsg: this.errMsg, errCode: this.errCode }
  }
}

export function subscribeApis(ctx: FakeWxContext) {
  const settings = settingsOf(ctx)
  /** What the user picks in the panel per template (default 'accept'). */
  const panelAnswers: Record<string, 'accept' | 'reject'> = {}
  /** Whether the user ticks 总是保持以上选择 in the panel. */
  let keepChoice = false
  /** Templates WeChat's back end banned for this mini-program. */
  const backendBanned = new Set<string>()
  /** Templates filtered whatever the call (e.g. a title clash the test does not spell out). */
  const filtered = new Set<string>()
  const titles: Record<string, string> = {}
  let scriptedFailure: SubscribeErrCode | null = null
  let calls = 0
  let reportAccept: ((tmplId: string) => Promise<void> | void) | null = null

  /** Each template's answer that needs no panel, or undefined when the user must be asked. */
  const answerWithoutPanel = (id: string, seenTitles: Set<string>): SubscribeAnswer | undefined => {
    if (backendBanned.has(id) || settings.items[id] === 'ban') return 'ban'
    const title = titles[id]
    if (filtered.has(id) || (title !== undefined && seenTitles.has(title))) return 'filter'
    if (title !== undefined) seenTitles.add(title)
    return settings.items[id]
  }

  const wx = {
    requestSubscribeMessage: wxAsync(
      'requestSubscribeMessage',
      async (o: { tmplIds?: string[] }) => {
        calls++
        requireTap(ctx, 'requestSubscribeMessage')
        const ids = o.tmplIds ?? []
        if (ids.length === 0) throw new SubscribeFail(10001)
        if (ids.length > MAX_SUBSCRIBE_IDS) throw new SubscribeFail(20003)
        if (!settings.mainSwitch) throw new SubscribeFail(20004)
        if (scriptedFailure !== null) throw new SubscribeFail(scriptedFailure)
        const out: Record<string, SubscribeAnswer> = {}
        const ask: string[] = []
        const seenTitles = new Set<string>()
        for (const id of ids) {
          const known = answerWithoutPanel(id, seenTitles)
          if (known) out[id] = known
          else ask.push(id)
        }
        if (ask.length > 0) {
          const a = await ctx.dialogs.open('subscribe', 'requestSubscribeMessage', { tmplIds: ask })
          for (const id of ask) {
            const choice = a === 'confirm' ? (panelAnswers[id] ?? 'accept') : 'reject'
            out[id] = choice
            if (keepChoice) settings.items[id] = choice
          }
        }
        if (reportAccept !== null) {
          for (const [id, answer] of Object.entries(out)) {
            if (answer !== 'accept') continue
            try {
              await reportAccept(id)
            } catch (e) {
              // WeChat's own bookkeeping failing is not the app's failure: the call still succeeds.
              console.warn('[fake wx] reporting a subscription accept failed', e)
            }
          }
        }
        return out
      },
    ),
  }
  const control = {
    /** What the user picks per template when confirming the panel (default 'accept'). */
    setSubscribeAnswers(a: Record<string, 'accept' | 'reject'>) {
      Object.assign(panelAnswers, a)
    },
    /** The user ticks 总是保持以上选择: the panel's choices become permanent (itemSettings). */
    setSubscribeKeepChoice(on: boolean) {
      keepChoice = on
    },
    /** WeChat's back end bans this template: answered 'ban', no panel, not fixable in settings. */
    banTemplate(tmplId: string, on = true) {
      if (on) backendBanned.add(tmplId)
      else backendBanned.delete(tmplId)
    },
    /** A template's title: a later template with the same title in one call is 'filter'. */
    setTemplateTitle(tmplId: string, title: string) {
      titles[tmplId] = title
    },
    /** The platform filters this template (answer 'filter', no panel). */
    filterTemplate(tmplId: string, on = true) {
      if (on) filtered.add(tmplId)
      else filtered.delete(tmplId)
    },
    /** Every later call fails with this errCode (null: calls work again). */
    failSubscribe(errCode: SubscribeErrCode | null) {
      scriptedFailure = errCode
    },
    /** Who learns of each 'accept' (WeChat's back end; the runtime plugs the simulator). */
    setSubscribeAcceptReporter(fn: ((tmplId: string) => Promise<void> | void) | null) {
      reportAccept = fn
    },
    get subscribeCalls(): number {
      return calls
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
