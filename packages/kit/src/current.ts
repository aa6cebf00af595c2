// The kit instance createAuth made, for components and pages that cannot receive it directly.
import type { Auth } from './index'

let current: Auth | null = null

export const setCurrentAuth = (a: Auth | null): void => {
  current = a
}

export const getAuth = (): Auth => {
  if (!current) throw new Error('createAuth() has not been called (call it in app.ts)')
  return current
}
