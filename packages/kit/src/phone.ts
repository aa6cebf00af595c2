// Phone number: the code flow from <button open-type="getPhoneNumber" bindgetphonenumber>.
import { isPrivacy, kind, saveUser, wxError, type FlowCtx } from './flow-util'
import type { User } from './types'

export type PhoneDetail = { code?: string; errMsg: string; errno?: number }

export function phoneFlows(ctx: FlowCtx) {
  return {
    /** A refusal or cancel leaves the button in place: the next tap simply calls this again. */
    async bindPhone(d: PhoneDetail): Promise<User> {
      if (d.code) return saveUser(ctx, 'phonePath', 'POST', { code: d.code })
      const k = kind(d)
      throw isPrivacy(k)
        ? wxError(ctx, d, 'privacy_denied')
        : k === 'quota'
          ? ctx.fail('phone_quota', 'phone quota used up (errno 1400001)')
          : k === 'cancel'
            ? ctx.fail('phone_cancelled', d.errMsg)
            : ctx.fail('phone_denied', 'phone refused: ' + d.errMsg)
    },
  }
}
