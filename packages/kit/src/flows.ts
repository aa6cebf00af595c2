// The kit's authorization flows, merged into the Auth object by createAuth.
import type { KitContext } from './context'
import { phoneFlows, type PhoneDetail } from './phone'
import { privacyFlows } from './privacy'
import { profileFlows, type ProfileResult } from './profile'
import { scopeFlows, type RepromptOutcome } from './scope'
import { subscribeFlows } from './subscribe'
import type { SubscriptionState, User } from './types'

export type { PhoneDetail, ProfileResult, RepromptOutcome }

export interface AuthFlows {
  /** granted: true at once; unasked: wx.authorize (refusal: false, recorded 'denied'); refused:
   * sets store.reprompt and settles on resolveReprompt (true iff granted then). */
  ensureScope(scope: string, o: { reason: string }): Promise<boolean>
  /** Re-reads wx.getSetting into store.scopes and store.subscriptions (call on page show). */
  refreshScopes(): Promise<void>
  /** From the auth-sheet: the `bindopensetting` detail, or null when dismissed. */
  resolveReprompt(outcome: RepromptOutcome): void
  /** Fetches the login code used by the next getUserProfile (call when its button shows). */
  prepareProfile(): Promise<void>
  /** Call synchronously, first thing in a tap handler. */
  getUserProfile(o: { desc: string }): Promise<ProfileResult>
  saveProfile(o: { nickname?: string; avatarPath?: string }): Promise<User>
  /** From `bindgetphonenumber`. */
  bindPhone(detail: PhoneDetail): Promise<User>
  /** From the privacy-popup when it shows; call the returned function when it leaves. The kit
   * answers wx.onNeedPrivacyAuthorization only while a popup holds it (else WeChat's own popup). */
  holdPrivacyPopup(): () => void
  resolvePrivacy(choice: 'agree' | 'disagree', buttonId?: string): void
  openPrivacyContract(): Promise<void>
  /** Call synchronously, first thing in a tap handler. Resolves with each template's answer;
   * 'ban'/'filter' also emit 'subscribe:blocked'; a permanent 'reject' or errCode 20004 sets
   * store.reprompt (settings). Rejects typed from errCode. */
  requestSubscribe(
    tmplIds: string[],
    o?: { reason?: string },
  ): Promise<Record<string, SubscriptionState>>
}

export function createFlows(ctx: KitContext): AuthFlows {
  return {
    ...scopeFlows(ctx),
    ...profileFlows(ctx),
    ...phoneFlows(ctx),
    ...privacyFlows(ctx),
    ...subscribeFlows(ctx),
  }
}
