// Subscription answers from requestSubscribeMessage (wechat-platform.md §6). Each 'accept' of
// the order-status template (a one-time template) is one send credit; other answers and other
// templates give nothing (the server sends no other template).
import type { Db } from '../db'
import { randomId } from './secrets'

export type SubscriptionAnswer = 'accept' | 'reject' | 'ban' | 'filter'

export class SubscriptionService {
  constructor(
    private readonly db: Db,
    private readonly orderStatusTemplateId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the answers; returns the user's unused credits for order-status messages. */
  async record(
    userId: string,
    results: Readonly<Record<string, SubscriptionAnswer>>,
  ): Promise<{ credits: number }> {
    if (results[this.orderStatusTemplateId] === 'accept') {
      await this.db.kysely
        .insertInto('subscription_credits')
        .values({
          id: randomId('c', 12),
          user_id: userId,
          template_id: this.orderStatusTemplateId,
          created_at: this.now(),
          used_at: null,
        })
        .execute()
    }
    return { credits: await this.unusedCredits(userId) }
  }

  async unusedCredits(userId: string): Promise<number> {
    const row = await this.db.kysely
      .selectFrom('subscription_credits')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('template_id', '=', this.orderStatusTemplateId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
