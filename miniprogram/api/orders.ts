// Orders: protected routes (auth 'required': the first call logs in silently, in one round trip).
import { auth } from './client'

// Shapes follow the server's schemas (server/src/schemas/shop.ts).

/**
 * 'placed' on creation, then 'accepted', 'ready', 'completed', or 'cancelled'; an unknown status
 * is shown as given.
 */
export type OrderStatus = string

/** One step of an order's history: the status it reached and when (ISO 8601). */
export interface TimelineEntry {
  status: OrderStatus
  at: string
}

/** Where to deliver: chosen on the map or typed by the user. Sent as the order's `address`. */
export interface DeliveryAddress {
  /** Free text: the detailed address. */
  address: string
  name?: string
  latitude?: number
  longitude?: number
}

/** One line of an order, and of the cart (stores/cart.ts). */
export interface OrderLine {
  itemId: string
  name: string
  quantity: number
  /** Unit price in fen. */
  price: number
}

export interface Order {
  id: string
  status: OrderStatus
  items: OrderLine[]
  /** Total in fen. */
  total: number
  /** The user's note. */
  remark: string | null
  /** Delivery address; null on orders placed without one. */
  address: string | null
  /** ISO 8601. */
  createdAt: string
  /** Every status the order went through, oldest first (absent from older servers). */
  timeline?: TimelineEntry[]
  /** Whether the user may still cancel it (absent from older servers: no). */
  cancellable?: boolean
}

export interface PlaceOrderInput {
  items: Array<{ itemId: string; quantity: number }>
  address: DeliveryAddress
  note?: string
}

/** The server's limit for `address` and `remark`. */
const TEXT_MAX = 200
// The server refuses control characters other than newline (\r included): they become spaces.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f]/g

const plainText = (s: string): string =>
  s.replace(CONTROL_CHARS, ' ').trim().slice(0, TEXT_MAX).trimEnd()

/** The address text the server stores: the place's name, then the detailed address. */
const addressText = (a: DeliveryAddress): string =>
  plainText(
    [a.name, a.address]
      .map((s) => s?.trim() ?? '')
      .filter((s) => s !== '')
      .join(' '),
  )

/**
 * POST /orders with an Idempotency-Key. The caller keeps the key for the whole checkout attempt
 * and passes the same one on every retry, so the server answers a retry with the first order.
 */
export async function placeOrder(input: PlaceOrderInput, idempotencyKey: string): Promise<Order> {
  const address = addressText(input.address)
  const remark = plainText(input.note ?? '')
  const res = await auth.request<Order>({
    url: '/orders',
    method: 'POST',
    data: { items: input.items, ...(address ? { address } : {}), ...(remark ? { remark } : {}) },
    auth: 'required',
    idempotencyKey,
  })
  return res.data
}

export async function listOrders(): Promise<Order[]> {
  const res = await auth.request<{ orders: Order[] }>({
    url: '/orders',
    method: 'GET',
    auth: 'required',
  })
  return Array.isArray(res.data?.orders) ? res.data.orders : []
}

export async function getOrder(id: string): Promise<Order> {
  const res = await auth.request<Order>({
    url: `/orders/${encodeURIComponent(id)}`,
    method: 'GET',
    auth: 'required',
  })
  return res.data
}

/** POST /orders/:id/cancel: allowed while the order is placed; 409 ORDER_STATUS_CONFLICT after. */
export async function cancelOrder(id: string): Promise<Order> {
  const res = await auth.request<Order>({
    url: `/orders/${encodeURIComponent(id)}/cancel`,
    method: 'POST',
    auth: 'required',
  })
  return res.data
}

/** A fresh key per checkout attempt: time + randomness, enough to never collide for one user. */
export function newIdempotencyKey(): string {
  const rand = () =>
    Math.floor(Math.random() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  return `ord-${Date.now().toString(36)}-${rand()}${rand()}`
}

const ORDER_STATUS_TEXT: Record<string, string> = {
  placed: '已下单',
  accepted: '商家已接单',
  ready: '待取餐',
  completed: '已完成',
  cancelled: '已取消',
}

export const orderStatusText = (status: string): string => ORDER_STATUS_TEXT[status] ?? status
