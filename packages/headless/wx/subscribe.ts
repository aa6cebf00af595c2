// wx.requestSubscribeMessage: tap only, 1-3 template ids, the main switch, templates the user
// banned (itemSettings 'ban': answered at once, no popup) or the platform filtered, then one
// 'subscribe' dialog for the rest: confirm -> each template's configured answer (default
// 'accept'), cancel -> 'reject'. Answers are recorded in the subscription settings.
import { WxFail, wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { requireTap } from './gesture'
import { settingsOf, type ItemSetting } from './settings'

export type SubscribeAnswer = ItemSetting | 'filter'

export function subscribeApis(ctx: FakeWxContext) {
  const s = settingsOf(ctx)
  const answers: Record<string, ItemSetting> = {}
  const filtered = new Set<string>()
  let calls = 0

  const wx = {
    requestSubscribeMessage: wxAsync(
      'requestSubscribeMessage',
      async (o: { tmplIds?: string[] }) => {
        calls++
        requireTap(ctx, 'requestSubscribeMessage')
        const ids = o.tmplIds ?? []
        if (!ids.length)
          throw new WxFail('requestSubscribeMessage', "TmplIds can't be empty", 10001)
        if (ids.length > 3)
          throw new WxFail('requestSubscribeMessage', 'Templates count out of max bounds', 10002)
        if (!s.mainSwitch)
          throw new WxFail('requestSubscribeMessage', 'The main switch is switched off', 20004)
        const out: Record<string, SubscribeAnswer> = {}
        const ask: string[] = []
        for (const id of ids) {
          if (filtered.has(id)) out[id] = 'filter'
          else if (s.items[id] === 'ban') out[id] = 'ban'
          else ask.push(id)
        }
        if (ask.length) {
          const a = await ctx.dialogs.open('subscribe', 'requestSubscribeMessage', { tmplIds: ask })
          for (const id of ask)
            s.items[id] = out[id] = a === 'confirm' ? (answers[id] ?? 'accept') : 'reject'
        }
        return out
      },
    ),
  }
  const control = {
    /** What the user picks per template when confirming the dialog (default 'accept'). */
    setSubscribeAnswers(a: Record<string, ItemSetting>) {
      Object.assign(answers, a)
    },
    /** The platform filters this template (answer 'filter', no popup). */
    filterTemplate(tmplId: string, on = true) {
      if (on) filtered.add(tmplId)
      else filtered.delete(tmplId)
    },
    get subscribeCalls(): number {
      return calls
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
