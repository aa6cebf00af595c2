// Every journey, in the order `npm run e2e` runs them.
import { journey as browseWithoutLogin } from './browse-without-login'
import { journey as firstOrder } from './first-order'
import { journey as locationPermission } from './location-permission'
import type { Journey } from './lib/journey'
import { journey as logout } from './logout'
import { journey as networkRetry } from './network-retry'
import { journey as offlineMinute } from './offline-minute'
import { journey as phoneBinding } from './phone-binding'
import { journey as privacy } from './privacy'
import { journey as profile } from './profile'
import { journey as sessionRevoked } from './session-revoked'

export const journeys: Journey[] = [
  browseWithoutLogin,
  firstOrder,
  locationPermission,
  profile,
  phoneBinding,
  privacy,
  sessionRevoked,
  networkRetry,
  offlineMinute,
  logout,
]
