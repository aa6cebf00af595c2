// Turns a function's source text sent by the client (evaluate, mockWxMethod) back into a
// function of this process: the mini-program's globals (wx, getApp …) are in scope, as in the
// AppService. Method shorthand (`name(a) {…}`) is accepted too.

export type AnyFn = (this: unknown, ...args: unknown[]) => unknown

export function functionFromSource(source: string): AnyFn {
  const attempts = [`return (${source})`, `return ({ ${source} })[Object.keys({ ${source} })[0]]`]
  let last: unknown
  for (const body of attempts) {
    try {
      const fn = new Function(body)() as unknown
      if (typeof fn === 'function') return fn as AnyFn
    } catch (e) {
      last = e
    }
  }
  throw new Error(
    `not a function declaration: ${source.slice(0, 80)}${last instanceof Error ? ` (${last.message})` : ''}`,
  )
}
