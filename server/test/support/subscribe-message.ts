// A valid order-status subscription message, as subscribeMessage.send takes it: the default
// template's four fields filled within the platform's rules. For the tests of the simulated
// WeChat's rules and for the outbox benchmark's baseline, which send one straight through the
// WeChat client; no jest here, so the benchmark can import it.
import { DEFAULT_ORDER_STATUS_TEMPLATE_ID } from '../../src/config'
import type { SubscribeMessage } from '../../src/wechat/types'

export function sampleOrderStatusMessage(
  touser: string,
  over: Partial<SubscribeMessage> = {},
): SubscribeMessage {
  return {
    touser,
    template_id: DEFAULT_ORDER_STATUS_TEMPLATE_ID,
    page: 'pages/order-detail/index?id=o1',
    data: {
      character_string1: { value: 'o1' },
      phrase2: { value: '已接单' },
      amount3: { value: '28.00元' },
      time4: { value: '2026-01-15 12:30' },
    },
    ...over,
  }
}
