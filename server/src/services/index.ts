import type { Config } from '../config'
import type { Db } from '../db'
import type { AuthService } from '../plugins/auth'
import type { WeChatClient } from '../wechat/types'
import type { AvatarService } from './avatars'
import type { OrderService } from './orders'
import type { RateLimiter } from './rate-limiter'
import type { SessionService } from './sessions'
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
  phoneLimiter: RateLimiter
}
