// Subscription messages (order status): requestSubscribeMessage from a tap, per platform doc §6.
// 'ban' (WeChat's back end banned the template) and 'filter' (a duplicate title in the call) are
// the developer's problems: reported in the result and as a 'subscribe:blocked' event, never put
// to the user. A permanent 'reject' (itemSettings, answered at once with no panel) and the main
// switch off (errCode 20004) can only be undone in settings: they set store.reprompt, so the
// auth-sheet offers its openSetting button.
import { call, getSetting, wxError, type FlowCtx } from './flow-util'
import type { AuthErrorCode, SubscriptionState } from './types'

/** The kit's error for a requestSubscribeMessage failure, from its `errCode` (not `errno`). */
const subscribeErrorCode = (errCode: number | undefined): AuthErrorCode =>
  errCode === 20004
    ? 'subscribe_off'
    : errCode === 10001 || errCode === 20003
      ? 'invalid_input' // no ids, or more than 5
      : errCode === 10002 || errCode === 10003
        ? 'network'
        : 'subscribe_unavailable'

export function subscribeFlows(ctx: FlowCtx) {
  const { store } = ctx
  return {
    /**
     * Must be called first in a tap handler. Resolves with each template's answer, recorded in
     * store.subscriptions; rejects with a code typed from the failure's errCode.
     */
    requestSubscribe(
      tmplIds: string[],
      o?: { reason?: string },
    ): Promise<Record<string, SubscriptionState>> {
      const offerSettings = (ids: string[]) =>
        store.setReprompt({ scope: 'subscribe:' + ids, reason: o?.reason ?? '' })
      // First, in the tap's synchronous part: the gesture is kept.
      const asked = call<Record<string, SubscriptionState>>('requestSubscribeMessage', { tmplIds })
      // The permanent choices as they stood at the tap (getSetting needs no gesture): a 'reject'
      // listed there came at once, with no panel, and only settings can undo it.
      const permanent = getSetting().then(
        (r) => r.subscriptionsSetting?.itemSettings,
        () => undefined,
      )
      return asked.then(
        async (r) => {
          const before = await permanent
          const out: Record<string, SubscriptionState> = {}
          for (const id of tmplIds) if (r[id]) store.setSubscription(id, (out[id] = r[id]))
          const answered = (s: SubscriptionState) => tmplIds.filter((id) => out[id] === s)
          const banned = answered('ban')
          const filtered = answered('filter')
          // Rejects that already stood at the tap: no panel was shown.
          const keptRejects = answered('reject').filter((id) => before?.[id] === 'reject')
          if (banned[0] || filtered[0]) ctx.emit({ type: 'subscribe:blocked', banned, filtered })
          if (keptRejects[0]) offerSettings(keptRejects)
          return out
        },
        (e: unknown) => {
          const { errCode } = e as { errCode?: number }
          if (errCode === 20004) offerSettings(tmplIds)
          // The tap rule and privacy are the kit's shared kinds; the rest is typed from errCode.
          throw wxError(ctx, e, subscribeErrorCode(errCode))
        },
      )
    },
  }
}
