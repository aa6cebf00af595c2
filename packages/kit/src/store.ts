import { action, observable } from 'mobx-miniprogram'
import type {
  AuthErrorCode,
  AuthStatus,
  AuthStoreState,
  PrivacyRequest,
  ProfilePrompt,
  Reprompt,
  ScopeState,
  SubscriptionState,
  User,
} from './types'

type Fields = Omit<AuthStoreState, 'isLoggedIn'>

/** The observable store pages bind; every mutation goes through one of these actions. */
export interface AuthStore extends AuthStoreState {
  setStatus(status: AuthStatus): void
  /** A session was obtained or restored: status 'authenticated' and its user, in one action. */
  setSession(user: User | null): void
  setUser(user: User | null): void
  setScopes(scopes: Record<string, ScopeState>): void
  setScope(scope: string, state: ScopeState): void
  setReprompt(r: Reprompt | null): void
  setPrivacy(p: PrivacyRequest | null): void
  setProfilePrompt(p: ProfilePrompt): void
  setSubscription(tmplId: string, state: SubscriptionState): void
  setError(e: { code: AuthErrorCode; message: string } | null): void
  /** Back to the initial state (logout), in one action. */
  reset(): void
}

const initial = (): Fields => ({
  status: 'anonymous',
  user: null,
  scopes: {},
  reprompt: null,
  privacy: null,
  profilePrompt: null,
  subscriptions: {},
  lastError: null,
})

export const createStore = (): AuthStore => {
  const set =
    <K extends keyof Fields>(k: K) =>
    (v: Fields[K]) => {
      ;(s as Fields)[k] = v
    }
  // Records are replaced, not mutated, so bindings that diff by reference see the change.
  // The fields are assigned onto the literal, not spread into it: compiled for ES2015 (or by
  // DevTools' ES5 step) a spread becomes Object.assign, which would call the getter, not copy it.
  const s: AuthStore = observable(
    Object.assign(
      {
        get isLoggedIn() {
          return s.status == 'authenticated'
        },
        setStatus: action(set('status')),
        setSession: action((user: User | null) => {
          s.status = 'authenticated'
          s.user = user
        }),
        setUser: action(set('user')),
        setScopes: action(set('scopes')),
        setScope: action((k: string, v: ScopeState) => {
          s.scopes = { ...s.scopes, [k]: v }
        }),
        setReprompt: action(set('reprompt')),
        setPrivacy: action(set('privacy')),
        setProfilePrompt: action(set('profilePrompt')),
        setSubscription: action((k: string, v: SubscriptionState) => {
          s.subscriptions = { ...s.subscriptions, [k]: v }
        }),
        setError: action(set('lastError')),
        reset: action(() => {
          Object.assign(s, initial())
        }),
      },
      initial(),
    ),
  )
  return s
}
