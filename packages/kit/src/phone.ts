// Phone number: the code flow from <button open-type="getPhoneNumber" bindgetphonenumber>.
import { kind, saveUser, type FlowCtx } from './flow-util'
import type { User } from './types'

export type PhoneDetail = { code?: string; errMsg: string; errno?: number }

export function phoneFlows(ctx: FlowCtx) {
  return {
    /** A refusal or cancel leaves the button in place: the next tap simply calls this again. */
    async bindPhone(d: PhoneDetail): Promise<User> {
      if (!d.code) {
        const k = kind(d)
        throw k === 'quota'
          ? ctx.fail('phone_quota', 'phone number quota exhausted (errno 1400001)')
          : k === 'cancel'
            ? ctx.fail('phone_cancelled', 'phone number request cancelled')
            : k === 'privacy'
              ? ctx.fail('privacy_denied', d.errMsg)
              : k === 'undeclared'
                ? ctx.fail('privacy_undeclared', d.errMsg)
                : ctx.fail('phone_denied', 'phone number refused: ' + d.errMsg)
      }
      const res = await ctx.request<object>({
        url: ctx.options.phonePath,
        method: 'POST',
        auth: 'required',
        data: { code: d.code },
      })
      return saveUser(ctx, res.data)
    },
  }
}
