// The component suites' test double of the kit (what getAuth() gives the components): the kit's
// own observable store (createStore) and the flows the components call, every call recorded.
// Settling a re-prompt or a privacy request clears it from the store, like the kit; saveProfile
// answers nothing until a test scripts it.
//
// A suite routes getAuth() to it with a jest.mock factory, which may only reference `mock*`:
//   const mockAuth = createFakeAuth()
//   jest.mock('wx-login-kit/current', () => ({ getAuth: () => mockAuth }))
import type { AuthFlows } from 'wx-login-kit/flows'
import { createStore, type AuthStore } from 'wx-login-kit/store'

/** What the components call on the kit: typed from the kit's own flow signatures. */
type Surface = Pick<
  AuthFlows,
  'resolveReprompt' | 'resolvePrivacy' | 'openPrivacyContract' | 'saveProfile' | 'holdPrivacyPopup'
>
type Recorded<F extends (...args: never[]) => unknown> = jest.Mock<ReturnType<F>, Parameters<F>>

/** The kit's surface the components use: every call recorded, the store the kit's own. */
export type FakeAuth = { store: AuthStore } & { [K in keyof Surface]: Recorded<Surface[K]> }

export function createFakeAuth(): FakeAuth {
  const store = createStore()
  return {
    store,
    resolveReprompt: jest.fn<void, Parameters<Surface['resolveReprompt']>>(() => {
      store.setReprompt(null)
    }),
    resolvePrivacy: jest.fn<void, Parameters<Surface['resolvePrivacy']>>(() => {
      store.setPrivacy(null)
    }),
    openPrivacyContract: jest.fn(() => Promise.resolve()),
    holdPrivacyPopup: jest.fn(() => jest.fn<void, []>()),
    saveProfile: jest.fn(),
  }
}
