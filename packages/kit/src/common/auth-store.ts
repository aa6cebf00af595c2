// storeBindings of the kit's components: each data field follows the app's auth store. The store
// is read through getAuth() when the component attaches (not when its module loads), so the
// components work wherever the app creates its auth instance.
import type { IStoreBindings } from 'mobx-miniprogram-bindings'
import { getAuth } from '../current'
import type { AuthStoreState } from '../types'

/** For each bound field of the component's data `D`, how it is read from the store. */
export type AuthStoreFields<D> = { [K in keyof D]?: (store: AuthStoreState) => D[K] }

/** `storeBindings: authStoreBindings<Data>({ field: (s) => s.x })` in ComponentWithStore. */
export function authStoreBindings<D>(select: AuthStoreFields<D>): IStoreBindings {
  const fields: Record<string, () => unknown> = {}
  for (const key of Object.keys(select) as Array<keyof D & string>) {
    const read = select[key]!
    fields[key] = () => read(getAuth().store)
  }
  return { store: null, fields, actions: [] }
}
