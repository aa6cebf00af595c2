// wx.requestPayment: WeChat's payment sheet ('payment' dialog). It pays when confirmed; closing
// it (the automator's native().closePaymentDialog(), or a test's cancel) fails the call with
// 'requestPayment:fail cancel', as on a phone when the user closes the sheet.
// https://developers.weixin.qq.com/miniprogram/dev/api/payment/wx.requestPayment.html
import { wxAsync, WxFail } from './api'
import type { FakeWxContext, FakeWxModule } from './context'

export interface PaymentRequest {
  timeStamp?: string
  nonceStr?: string
  package?: string
  signType?: string
  paySign?: string
}

const REQUIRED = ['timeStamp', 'nonceStr', 'package', 'paySign'] as const

export function paymentApis(ctx: FakeWxContext) {
  const wx = {
    requestPayment: wxAsync('requestPayment', async (o: PaymentRequest) => {
      const missing = REQUIRED.filter((k) => typeof o[k] !== 'string' || o[k] === '')
      if (missing.length > 0)
        throw new WxFail('requestPayment', `parameter error: ${missing.join(', ')} required`)
      const answer = await ctx.dialogs.open('payment', 'requestPayment', {
        package: o.package,
        signType: o.signType ?? 'MD5',
      })
      if (answer !== 'confirm') throw new WxFail('requestPayment', 'cancel')
      return {}
    }),
  }
  return { wx, control: {} } satisfies FakeWxModule<object, object>
}
