// The login kit's public entry. Flows (scopes, profile, phone, privacy) build on KitContext.
// The public types use WeChat's global typings; an adopter's TypeScript gets them from here.
/// <reference types="miniprogram-api-typings" preserve="true" />
import type { KitContext } from './context'
import { createCore } from './core'
import { setCurrentAuth } from './current'
import { createFlows, type AuthFlows } from './flows'
import type { On } from './events'
import type { AuthStore } from './store'
import type { AuthOptions } from './types'

export * from './types'
export { AuthKitError } from './errors'
export type { KitContext, ResolvedOptions } from './context'
export type { AuthStore } from './store'
export type { On } from './events'
export type { AuthFlows, PhoneDetail, ProfileResult, RepromptOutcome } from './flows'
export { getAuth } from './current'
export {
  defaultErrorMessages,
  errorCode,
  errorMessage,
  DEFAULT_FALLBACK_MESSAGE,
  type ErrorMessages,
} from './messages'

export interface Auth extends AuthFlows {
  store: AuthStore
  request: KitContext['request']
  ensureLogin(): Promise<void>
  logout(): Promise<void>
  on: On
}

export function createAuth(options: AuthOptions): Auth {
  const { ctx, logout, ensureLoginFromApp, on } = createCore(options)
  const flows = createFlows(ctx)
  const a: Auth = {
    store: ctx.store,
    request: ctx.request,
    // the app's call (a user's retry) re-arms a tripped loop breaker; the kit's own never does
    ensureLogin: ensureLoginFromApp,
    // A scope waiting on the re-prompt sheet settles (false) before the store is reset.
    logout: () => (flows.resolveReprompt(null), logout()),
    on,
    ...flows,
  }
  setCurrentAuth(a)
  return a
}
