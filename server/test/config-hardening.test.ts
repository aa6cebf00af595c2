// The settings behind issue 12's points 5, 9 and 12: PUBLIC_ORIGIN (PUBLIC_URL still read),
// REDIS_URL and its key prefix, SIM_CONTROL_TOKEN and AVATAR_QUOTA; each bad value is named.
import { ConfigError, loadConfig } from '../src/config'

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.join('\n')
    throw e
  }
  return ''
}

describe('loadConfig, hardening settings', () => {
  test('defaults: no public origin, limits in memory, no control token, 5 avatars a user', () => {
    const c = loadConfig({})
    expect(c.publicUrl).toBeNull()
    expect(c.redisUrl).toBeNull()
    expect(c.redisKeyPrefix).toBe('wxkit:')
    expect(c.simControlToken).toBeNull()
    expect(c.avatarQuota).toBe(5)
  })

  test('PUBLIC_ORIGIN, with PUBLIC_URL as the older name', () => {
    expect(loadConfig({ PUBLIC_ORIGIN: 'https://api.example.com' }).publicUrl).toBe(
      'https://api.example.com',
    )
    expect(loadConfig({ PUBLIC_URL: 'https://old.example.com' }).publicUrl).toBe(
      'https://old.example.com',
    )
    expect(problemsOf({ PUBLIC_ORIGIN: 'https://api.example.com/path' })).toMatch(/PUBLIC_ORIGIN/)
    expect(problemsOf({ PUBLIC_ORIGIN: `https://${'a'.repeat(300)}.com` })).toMatch(/PUBLIC_ORIGIN/)
  })

  test('REDIS_URL, REDIS_KEY_PREFIX, SIM_CONTROL_TOKEN and AVATAR_QUOTA are checked', () => {
    const c = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      REDIS_KEY_PREFIX: 'shop1:',
      SIM_CONTROL_TOKEN: 'a-long-enough-token-123',
      AVATAR_QUOTA: '3',
    })
    expect(c).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379/2',
      redisKeyPrefix: 'shop1:',
      simControlToken: 'a-long-enough-token-123',
      avatarQuota: 3,
    })
    const all = problemsOf({
      REDIS_URL: 'http://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'has space',
      SIM_CONTROL_TOKEN: 'short',
      AVATAR_QUOTA: '0',
    })
    for (const name of ['REDIS_URL', 'REDIS_KEY_PREFIX', 'SIM_CONTROL_TOKEN', 'AVATAR_QUOTA']) {
      expect(all).toMatch(name)
    }
  })
})
