import { getAuth } from 'wx-login-kit/current'
import { createAuth } from 'wx-login-kit'
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
