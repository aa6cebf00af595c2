import type { Config } from '../config'
import type { Db } from '../db'
import type { AuthService } from '../plugins/auth'
import type { RateLimits } from '../plugins/rate-limits'
import type { WeChatClient } from '../wechat/types'
import type { AvatarService } from './avatars'
import type { OrderFeed } from './order-feed'
import type { OrderService } from './orders'
import type { MessageOutbox } from './outbox'
import type { SessionService } from './sessions'
import type { StatusChangeService } from './status-changes'
import type { SubscriptionService } from './subscriptions'
import type { UserService } from './users'

/** Everything a route needs, handed to each route plugin as its options. */
export interface Services {
  config: Config
  db: Db
  wechat: WeChatClient
  sessions: SessionService
  users: UserService
  orders: OrderService
  avatars: AvatarService
  auth: AuthService
  /** Budgets of the routes that reach WeChat, per IP and per user. */
  limits: RateLimits
  /** Order status changes (user cancel, console moves) and the messages they queue. */
  statusChanges: StatusChangeService
  subscriptions: SubscriptionService
  /** The subscription-message outbox worker of this instance. */
  outbox: MessageOutbox
  /** New orders and status changes, for the console's live list. */
  orderFeed: OrderFeed
}
