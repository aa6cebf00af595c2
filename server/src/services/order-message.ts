// The order-status subscription message: which page it opens and the data filled from the
// order, for the template's fields (character_string1 订单号, phrase2 订单状态, amount3 金额,
// time4 更新时间). The values keep the platform's rules (wechat-platform.md §6; the simulated
// WeChat answers 47003 otherwise).
import { STATUS_LABELS, type OrderStatus } from './order-status'

/** The app page a notification opens: the order's detail. */
export function orderDetailPage(orderId: string): string {
  return `pages/order-detail/index?id=${encodeURIComponent(orderId)}`
}

/** 'YYYY-MM-DD HH:mm' in China Standard Time (UTC+8, no daylight saving): what users read. */
export function chinaTime(ms: number): string {
  const d = new Date(ms + 8 * 3600_000)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** fen → '12.50元' */
export function yuan(fen: number): string {
  return `${(fen / 100).toFixed(2)}元`
}

export function orderStatusData(order: {
  id: string
  total: number
  status: OrderStatus
  changedAt: number
}): Record<string, { value: string }> {
  return {
    character_string1: { value: order.id.slice(0, 32) },
    phrase2: { value: STATUS_LABELS[order.status] },
    amount3: { value: yuan(order.total) },
    time4: { value: chinaTime(order.changedAt) },
  }
}
