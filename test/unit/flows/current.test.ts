import { getAuth } from '../../../miniprogram/auth/current'
import { createAuth } from '../../../miniprogram/auth'
import { installFakeWx } from '../../../packages/headless/wx'

describe('getAuth', () => {
  it('throws a clear error before createAuth, then returns the latest kit', () => {
    expect(() => getAuth()).toThrow(/createAuth\(\) has not been called/)
    installFakeWx()
    const a = createAuth({ baseUrl: 'https://api.test' })
    expect(getAuth()).toBe(a)
    expect(typeof getAuth().ensureScope).toBe('function')
  })
})
