// Demo orders. Idempotency rests on the (user_id, idempotency_key) unique constraint: the
// insert of a repeated key does nothing, and the first order is read back.
import { randomBytes } from 'node:crypto'
import type { Selectable } from 'kysely'
import { configure } from 'safe-stable-stringify'
import type { Db } from '../db'
import type { OrdersTable } from '../db/schema'
import { AppError } from '../errors'
import { menuItem } from './menu'
import type { OrderFeed } from './order-feed'
import { ORDER_STATUSES, userMayCancel } from './order-status'
import { sha256Hex } from './secrets'

/**
 * Canonical JSON (object keys sorted at every depth): the fingerprint of a request must not
 * depend on the order its client happened to write the keys in, or an honest retry gets 409.
 */
const canonicalJson = configure({ deterministic: true, circularValue: Error, bigint: false })

export interface OrderLine {
  itemId: string
  name: string
  price: number
  quantity: number
}

export interface OrderJson {
  id: string
  items: OrderLine[]
  total: number
  status: string
  remark: string | null
  address: string | null
  createdAt: string
  /** When the status last changed (createdAt until then). */
  updatedAt: string
  /** Every status the order went through, with its time, oldest first ('placed' first). */
  timeline: TimelineEntry[]
  /** Whether the user may still cancel it (POST /orders/:id/cancel). */
  cancellable: boolean
}

export interface TimelineEntry {
  status: string
  at: string
}

/** An order row and its recorded status changes. */
export type OrderRow = Selectable<OrdersTable>
export interface OrderEventRow {
  order_id: string
  status: string
  at: number
}

interface StoredItems {
  lines: OrderLine[]
  remark: string | null
  /** Absent in orders stored before addresses existed. */
  address?: string | null
}

export interface OrderRequest {
  items: { itemId: string; quantity: number }[]
  remark?: string
  address?: string
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** The last creation tick this instance put in an order id (microseconds, strictly increasing). */
let lastOrderTick = 0

/**
 * A new order id: `o`, a creation tick in base 36 (fixed width, so ids compare as the ticks do)
 * and random bytes. Lists sort by created_at and then by id, so two orders a user places within
 * one millisecond still come newest first instead of in random order.
 */
function newOrderId(): string {
  lastOrderTick = Math.max(Date.now() * 1000, lastOrderTick + 1)
  return `o${lastOrderTick.toString(36).padStart(11, '0')}${randomBytes(9).toString('base64url')}`
}

/**
 * Status changes of one order in the order they happened. Two changes can share a millisecond
 * (staff tapping through quickly), and event ids are random, so equal times are ordered by the
 * status machine, which only moves forward (placed → accepted → ready → completed; cancelled
 * ends it).
 */
function chronological(a: OrderEventRow, b: OrderEventRow): number {
  const byTime = Number(a.at) - Number(b.at)
  if (byTime !== 0) return byTime
  const rank = (s: string): number => (ORDER_STATUSES as readonly string[]).indexOf(s)
  return rank(a.status) - rank(b.status)
}

export function toJson(row: OrderRow, events: readonly OrderEventRow[] = []): OrderJson {
  const stored = JSON.parse(row.items) as StoredItems
  const createdAt = Number(row.created_at)
  const updatedAt = Math.max(createdAt, Number(row.updated_at))
  const timeline: TimelineEntry[] = [
    { status: 'placed', at: iso(createdAt) },
    ...events.map((e) => ({ status: e.status, at: iso(Number(e.at)) })),
  ]
  return {
    id: row.id,
    items: stored.lines,
    total: Number(row.total),
    status: row.status,
    remark: stored.remark,
    address: stored.address ?? null,
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
    timeline,
    cancellable: userMayCancel(row.status),
  }
}

/** The recorded status changes of these orders, oldest first. */
export async function loadEvents(
  db: Db,
  orderIds: readonly string[],
): Promise<Map<string, OrderEventRow[]>> {
  const byOrder = new Map<string, OrderEventRow[]>()
  if (orderIds.length === 0) return byOrder
  const rows = await db.kysely
    .selectFrom('order_events')
    .select(['order_id', 'status', 'at'])
    .where('order_id', 'in', [...orderIds])
    .execute()
  for (const row of [...rows].sort(chronological)) {
    const list = byOrder.get(row.order_id) ?? []
    list.push(row)
    byOrder.set(row.order_id, list)
  }
  return byOrder
}

export class OrderService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    /** Told of each new order (the console's live list). */
    private readonly feed: OrderFeed | null = null,
  ) {}

  async create(
    userId: string,
    idempotencyKey: string,
    req: OrderRequest,
  ): Promise<{ order: OrderJson; created: boolean }> {
    const lines: OrderLine[] = []
    for (const { itemId, quantity } of req.items) {
      const m = menuItem(itemId)
      if (m === undefined || m.soldOut) {
        throw new AppError(
          400,
          'ORDER_INVALID',
          `unknown or sold-out menu item: ${itemId.slice(0, 40)}`,
        )
      }
      lines.push({ itemId, name: m.name, price: m.price, quantity })
    }
    const total = lines.reduce((s, l) => s + l.price * l.quantity, 0)
    const remark = req.remark ?? null
    const address = req.address ?? null
    const requestHash = sha256Hex(canonicalJson({ items: req.items, remark, address }) ?? '')
    const stored: StoredItems = { lines, remark, address }
    const inserted = await this.db.kysely
      .insertInto('orders')
      .values({
        id: newOrderId(),
        user_id: userId,
        idempotency_key: idempotencyKey,
        request_hash: requestHash,
        items: JSON.stringify(stored),
        total,
        status: 'placed',
        created_at: this.now(),
        updated_at: this.now(),
      })
      .onConflict((oc) => oc.columns(['user_id', 'idempotency_key']).doNothing())
      .returningAll()
      .executeTakeFirst()
    if (inserted !== undefined) {
      const order = toJson(inserted)
      this.feed?.publish({ type: 'created', order })
      return { order, created: true }
    }
    const first = await this.db.kysely
      .selectFrom('orders')
      .selectAll()
      .where('user_id', '=', userId)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirstOrThrow()
    if (first.request_hash !== requestHash) {
      throw new AppError(
        409,
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used for a different order',
      )
    }
    const events = await loadEvents(this.db, [first.id])
    return { order: toJson(first, events.get(first.id)), created: false }
  }

  async list(userId: string): Promise<OrderJson[]> {
    const rows = await this.db.kysely
      .selectFrom('orders')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(100)
      .execute()
    const events = await loadEvents(
      this.db,
      rows.map((r) => r.id),
    )
    return rows.map((r) => toJson(r, events.get(r.id)))
  }

  async get(userId: string, id: string): Promise<OrderJson | undefined> {
    const row = await this.db.kysely
      .selectFrom('orders')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (row === undefined) return undefined
    const events = await loadEvents(this.db, [row.id])
    return toJson(row, events.get(row.id))
  }
}
