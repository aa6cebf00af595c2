// require's asynchronous forms (分包异步化): require(path, callback, error) and require.async(path).
import { requireFunction, type AsyncRequireError } from './require-function'

const modules: Record<string, unknown> = { './a': { name: 'a' } }
const load = (request: string): unknown => {
  if (request in modules) return modules[request]
  throw new Error(`Cannot find module '${request}'`)
}

test('the synchronous form returns the exports', () => {
  expect(requireFunction(load)('./a')).toEqual({ name: 'a' })
})

test('require.async resolves after the current code, and rejects with { mod, errMsg }', async () => {
  const req = requireFunction(load)
  const order: string[] = []
  const loaded = req.async('./a').then((m) => order.push((m as { name: string }).name))
  order.push('sync')
  await loaded
  expect(order).toEqual(['sync', 'a'])
  await expect(req.async('./nope')).rejects.toEqual({
    mod: './nope',
    errMsg: "Cannot find module './nope'",
  })
})

test('the callback form calls back with the module, or the error callback', async () => {
  const req = requireFunction(load)
  const got = await new Promise((resolve) => req('./a', resolve))
  expect(got).toEqual({ name: 'a' })
  const failed = await new Promise<AsyncRequireError>((resolve) =>
    req('./nope', () => undefined, resolve),
  )
  expect(failed.mod).toBe('./nope')
})
