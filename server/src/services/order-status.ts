// The order status machine: placed → accepted → ready → completed, and cancelled (by the user
// while placed, by the merchant before completion). Pure rules; status-changes.ts applies them.

export const ORDER_STATUSES = ['placed', 'accepted', 'ready', 'completed', 'cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Who asks for a change: the user through the mini-program, or staff through the console. */
export type StatusActor = 'user' | 'merchant'

/** The status that follows in the normal flow (the console's one-tap move), or null at the end. */
const NEXT: Readonly<Record<OrderStatus, OrderStatus | null>> = {
  placed: 'accepted',
  accepted: 'ready',
  ready: 'completed',
  completed: null,
  cancelled: null,
}

/** What users and staff read (the console and subscription messages; ≤5 Chinese characters). */
export const STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  placed: '已下单',
  accepted: '已接单',
  ready: '待取餐',
  completed: '已完成',
  cancelled: '已取消',
}

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value)
}

export function nextStatus(from: OrderStatus): OrderStatus | null {
  return NEXT[from]
}

/** Whether `actor` may move an order from `from` to `to`. */
export function canChange(from: OrderStatus, to: OrderStatus, actor: StatusActor): boolean {
  if (to === 'cancelled') {
    if (actor === 'user') return from === 'placed'
    return from !== 'completed' && from !== 'cancelled'
  }
  return actor === 'merchant' && NEXT[from] === to
}

/** Whether the user may still cancel (what the app offers). */
export function userMayCancel(status: string): boolean {
  return isOrderStatus(status) && canChange(status, 'cancelled', 'user')
}
