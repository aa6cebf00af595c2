// The getPhoneNumber button (platform doc §5): a helper producing the `bindgetphonenumber`
// detail. A privacy API; the quota is checked at the tap (errno 1400001 when exhausted); then a
// 'phone' dialog: allow -> {code, errMsg:'getPhoneNumber:ok'}, refuse -> 'getPhoneNumber:fail
// user deny' (or the configured dismissal, e.g. a cancel). Codes come from a pluggable source.
import { randomBytes } from 'node:crypto'
import type { WxFailResult } from './api'
import { WxFail } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { privacyGate } from './privacy'

export type PhoneDetail =
  { code: string; errMsg: string; encryptedData: string; iv: string } | WxFailResult

export function phoneApis(ctx: FakeWxContext) {
  let n = 0
  let source: () => Promise<string> | string = () => `phone-code-${++n}`
  let quota = Number.POSITIVE_INFINITY
  let dismissal = 'getPhoneNumber:fail user deny'
  const codes: string[] = []

  const control = {
    /** Where phone codes come from (the headless runtime plugs the server simulator). */
    setPhoneCodeSource(fn: () => Promise<string> | string) {
      source = fn
    },
    /** Successful calls left before errno 1400001 (default: unlimited). */
    setPhoneQuota(n: number) {
      quota = n
    },
    /**
     * errMsg when the user refuses: 'getPhoneNumber:fail user deny' (default),
     * 'getPhoneNumber:fail:user deny', 'getPhoneNumber:fail:user cancel', ...
     */
    setPhoneDismissal(errMsg: string) {
      dismissal = errMsg
    },
    /** Codes handed out, in order. */
    get phoneCodes(): readonly string[] {
      return codes
    },
    /**
     * The user taps `<button open-type="getPhoneNumber" bindgetphonenumber>`: resolves the
     * event's detail once the user answers the 'phone' dialog.
     */
    async tapPhoneButton(): Promise<PhoneDetail> {
      try {
        await privacyGate(ctx, 'getPhoneNumber', 'button.getPhoneNumber')
      } catch (e) {
        return (e as WxFail).toResult()
      }
      // exact text not documented: the errno is what counts (§5)
      if (quota <= 0) return { errMsg: 'getPhoneNumber:fail quota exhausted', errno: 1400001 }
      const a = await ctx.dialogs.open('phone', 'getPhoneNumber')
      if (a !== 'confirm') return { errMsg: dismissal }
      quota-- // billed on success
      const code = await source()
      codes.push(code)
      return {
        code,
        errMsg: 'getPhoneNumber:ok',
        encryptedData: randomBytes(64).toString('base64'),
        iv: randomBytes(16).toString('base64'),
      }
    },
  }
  return { wx: {}, control } satisfies FakeWxModule<object, object>
}
