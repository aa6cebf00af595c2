// Orders: protected routes (auth 'required': the first call logs in silently, in one round trip).
import { auth } from './client'

// Shapes follow the server's schemas (server/src/schemas/shop.ts).

/** 'placed' on creation; the server may add more states (shown as given when unknown). */
export type OrderStatus = string

/**
 * Where to deliver. The server's order body has no address field yet (only `items` and
 * `remark`, with additionalProperties false), so the address travels in `remark`; see
 * composeRemark.
 */
export interface DeliveryAddress {
  /** Free text: chosen on the map or typed by the user. */
  address: string
  name?: string
  latitude?: number
  longitude?: number
}

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
  remark: string | null
  /** ISO 8601. */
  createdAt: string
}

export interface PlaceOrderInput {
  items: Array<{ itemId: string; quantity: number }>
  address: DeliveryAddress
  note?: string
}

const ADDRESS_PREFIX = '配送地址：'
const NOTE_PREFIX = '备注：'
const REMARK_MAX = 200

/** The remark the server stores: the delivery address, then the user's note. */
export function composeRemark(address: DeliveryAddress, note?: string): string {
  const where = [address.name, address.address].filter((s) => s && s.trim()).join(' ')
  const parts = [`${ADDRESS_PREFIX}${where}`]
  if (note && note.trim()) parts.push(`${NOTE_PREFIX}${note.trim()}`)
  return parts.join('\n').slice(0, REMARK_MAX)
}

/** Splits a remark made by composeRemark back into address and note (other remarks: note). */
export function parseRemark(remark: string | null): { address: string; note: string } {
  if (!remark) return { address: '', note: '' }
  let address = ''
  const notes: string[] = []
  for (const line of remark.split('\n')) {
    if (line.startsWith(ADDRESS_PREFIX)) address = line.slice(ADDRESS_PREFIX.length)
    else notes.push(line.startsWith(NOTE_PREFIX) ? line.slice(NOTE_PREFIX.length) : line)
  }
  return { address, note: notes.join('\n') }
}

/**
 * POST /orders with an Idempotency-Key. The caller keeps the key for the whole checkout attempt
 * and passes the same one on every retry, so the server answers a retry with the first order.
 */
export async function placeOrder(input: PlaceOrderInput, idempotencyKey: string): Promise<Order> {
  const res = await auth.request<Order>({
    url: '/orders',
    method: 'POST',
    data: { items: input.items, remark: composeRemark(input.address, input.note) },
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
  paid: '已支付',
  preparing: '制作中',
  delivering: '配送中',
  completed: '已完成',
  cancelled: '已取消',
}

export const orderStatusText = (status: string): string => ORDER_STATUS_TEXT[status] ?? status
