// Applies a status change to an order, in one transaction: the compare-and-set of the status
// (a concurrent change makes this one a 409 that changes nothing), its event row, and, when the
// order's user holds an unused credit for the order-status template, one credit spent and one
// message queued in the outbox. The message leaves later, from the outbox (outbox.ts).
import type { Transaction } from 'kysely'
import type { Db } from '../db'
import type { Database } from '../db/schema'
import { AppError, notFound } from '../errors'
import type { OrderFeed } from './order-feed'
import { orderDetailPage, orderStatusData } from './order-message'
import { canChange, isOrderStatus, type OrderStatus, type StatusActor } from './order-status'
import { loadEvents, toJson, type OrderJson } from './orders'
import { randomId } from './secrets'

export interface StatusChangeOptions {
  now?: () => number
  /** The order-status template: a credit for it pays for one message. */
  templateId: string
  feed?: OrderFeed | null
  /** Called after a commit that queued a message (wakes the outbox). */
  onQueued?: () => void
}

export interface StatusChangeResult {
  order: OrderJson
  /** Whether a subscription message was queued for this change. */
  messageQueued: boolean
}

const conflict = (from: string, to: string): AppError =>
  new AppError(409, 'ORDER_STATUS_CONFLICT', `an order that is ${from} cannot become ${to}`)

export class StatusChangeService {
  private readonly now: () => number
  constructor(
    private readonly db: Db,
    private readonly opts: StatusChangeOptions,
  ) {
    this.now = opts.now ?? Date.now
  }

  /**
   * Moves the order to `to`. `userId` restricts it to that user's orders (404 otherwise).
   * Throws 409 ORDER_STATUS_CONFLICT when the change is not allowed from the current status.
   */
  async change(
    orderId: string,
    to: OrderStatus,
    actor: StatusActor,
    userId: string | null = null,
  ): Promise<StatusChangeResult> {
    const at = this.now()
    const { row, messageQueued } = await this.db.kysely.transaction().execute(async (trx) => {
      let query = trx.selectFrom('orders').selectAll().where('id', '=', orderId)
      if (userId !== null) query = query.where('user_id', '=', userId)
      const order = await query.executeTakeFirst()
      if (order === undefined) throw notFound('no such order')
      const from = order.status
      if (!isOrderStatus(from) || !canChange(from, to, actor)) throw conflict(from, to)
      // Compare-and-set: a change that committed since our read makes this one match nothing.
      const updated = await trx
        .updateTable('orders')
        .set({ status: to, updated_at: at })
        .where('id', '=', orderId)
        .where('status', '=', from)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) !== 1) throw conflict(from, to)
      await trx
        .insertInto('order_events')
        .values({ id: randomId('e', 12), order_id: orderId, status: to, actor, at })
        .execute()
      const changed = { ...order, status: to, updated_at: at }
      const queued = await this.queueMessage(trx, changed.user_id, {
        id: orderId,
        total: Number(order.total),
        status: to,
        changedAt: at,
      })
      return { row: changed, messageQueued: queued }
    })
    const events = await loadEvents(this.db, [orderId])
    const order = toJson(row, events.get(orderId))
    this.opts.feed?.publish({ type: 'status', order })
    if (messageQueued) this.opts.onQueued?.()
    return { order, messageQueued }
  }

  /** Spends the user's oldest unused credit, if any, on one queued message. */
  private async queueMessage(
    trx: Transaction<Database>,
    userId: string,
    order: { id: string; total: number; status: OrderStatus; changedAt: number },
  ): Promise<boolean> {
    const user = await trx
      .selectFrom('users')
      .select('openid')
      .where('id', '=', userId)
      .executeTakeFirst()
    if (user === undefined) return false
    // Another transaction may spend the same credit between our read and our update: the
    // update's `used_at is null` decides, and the loser tries the next credit.
    for (let attempt = 0; attempt < 5; attempt++) {
      const credit = await trx
        .selectFrom('subscription_credits')
        .select('id')
        .where('user_id', '=', userId)
        .where('template_id', '=', this.opts.templateId)
        .where('used_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .executeTakeFirst()
      if (credit === undefined) return false
      const spent = await trx
        .updateTable('subscription_credits')
        .set({ used_at: order.changedAt })
        .where('id', '=', credit.id)
        .where('used_at', 'is', null)
        .executeTakeFirst()
      if (Number(spent.numUpdatedRows) !== 1) continue
      await trx
        .insertInto('message_outbox')
        .values({
          id: randomId('m', 12),
          credit_id: credit.id,
          order_id: order.id,
          openid: user.openid,
          template_id: this.opts.templateId,
          page: orderDetailPage(order.id),
          data: JSON.stringify(orderStatusData(order)),
          state: 'pending',
          attempts: 0,
          due_at: order.changedAt,
          last_error: null,
          created_at: order.changedAt,
          finished_at: null,
        })
        .execute()
      return true
    }
    return false
  }
}
