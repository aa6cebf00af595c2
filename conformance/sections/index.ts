// The sections in the order they run; the secrets section reads what all the others recorded.
import type { Section } from '../suite'
import { errorEnvelope } from './envelope'
import { expiryAndRevocation } from './expiry'
import { idempotentOrders } from './orders'
import { roundTrip } from './round-trip'
import { noSecretsInBodies } from './secrets'
import { silentLogin } from './silent-login'
import { singleUse } from './single-use'

export const SECTIONS: readonly Section[] = [
  silentLogin,
  roundTrip,
  singleUse,
  expiryAndRevocation,
  errorEnvelope,
  idempotentOrders,
  noSecretsInBodies,
]
