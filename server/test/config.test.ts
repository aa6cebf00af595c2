import { ConfigError, loadConfig } from '../src/config'
import { createLogger } from '../src/logger'
import { maskPhone } from '../src/services/users'
import { cleanNickname } from '../src/routes/me'
import { AtRestCipher } from '../src/services/secrets'
import { sniffImage } from '../src/services/avatars'
import { PNG_1x1 } from './helpers'

const SECRET = 'a-very-long-session-secret-for-tests-0123456789'

describe('loadConfig', () => {
  test('zero configuration: simulated WeChat, SQLite under .data, 127.0.0.1:3000', () => {
    const c = loadConfig({}, '/srv/server')
    expect(c.host).toBe('127.0.0.1')
    expect(c.port).toBe(3000)
    expect(c.wechat.mode).toBe('simulated')
    expect(c.databaseUrl).toBeNull()
    expect(c.sqlitePath).toBe('/srv/server/.data/server.sqlite')
    expect(c.sessionSecretIsDefault).toBe(true)
  })

  test('real WeChat and PostgreSQL from the environment', () => {
    const c = loadConfig({
      WECHAT_APPID: 'wx1234567890abcdef',
      WECHAT_SECRET: 's3cr3t',
      DATABASE_URL: 'postgres://u@h/db',
      PORT: '8080',
      HOST: '0.0.0.0',
    })
    expect(c.wechat).toEqual({
      mode: 'real',
      appid: 'wx1234567890abcdef',
      secret: 's3cr3t',
      apiBaseUrl: null,
    })
    expect(c.databaseUrl).toBe('postgres://u@h/db')
    expect(c.port).toBe(8080)
  })

  test('production refuses the simulated WeChat and a missing SESSION_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError)
    try {
      loadConfig({ NODE_ENV: 'production' })
    } catch (e) {
      const msg = (e as ConfigError).message
      expect(msg).toMatch(/SESSION_SECRET is required/)
      expect(msg).toMatch(/refuses the simulated WeChat/)
    }
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        SESSION_SECRET: SECRET,
        WECHAT_APPID: 'wx1234567890abcdef',
      }),
    ).toThrow(/WECHAT_SECRET is required/)
    const ok = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: SECRET,
      WECHAT_APPID: 'wx1234567890abcdef',
      WECHAT_SECRET: 'x',
    })
    expect(ok.wechat.mode).toBe('real')
  })

  test('clear errors for bad values, all at once', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        SESSION_SECRET: 'short',
        NODE_ENV: 'staging',
      })
      throw new Error('expected a ConfigError')
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      const problems = (e as ConfigError).problems.join('\n')
      expect(problems).toMatch(/PORT must be an integer/)
      expect(problems).toMatch(/DATABASE_URL must be a postgres/)
      expect(problems).toMatch(/SESSION_SECRET must be at least 32/)
      expect(problems).toMatch(/NODE_ENV must be/)
    }
  })
  test('sliding sessions: on with a 60 s grace by default; both settable; bad values named', () => {
    expect(loadConfig({}).sessionRotation).toEqual({ enabled: true, graceSec: 60 })
    expect(
      loadConfig({ SESSION_SLIDING: 'false', SESSION_ROTATION_GRACE_SEC: '5' }).sessionRotation,
    ).toEqual({ enabled: false, graceSec: 5 })
    expect(() => loadConfig({ SESSION_SLIDING: 'maybe' })).toThrow(/SESSION_SLIDING must be/)
    expect(() => loadConfig({ SESSION_ROTATION_GRACE_SEC: '7200' })).toThrow(
      /SESSION_ROTATION_GRACE_SEC must be between 0 and 3600/,
    )
  })
})

describe('helpers', () => {
  test('maskPhone', () => {
    expect(maskPhone('13800138000')).toBe('138****8000')
    expect(maskPhone(null)).toBeNull()
    expect(maskPhone('12345')).toBe('***45')
  })

  test('cleanNickname', () => {
    expect(cleanNickname('  阿强  ')).toBe('阿强')
    expect(cleanNickname('🍜'.repeat(32))).toBe('🍜'.repeat(32))
    expect(cleanNickname('🍜'.repeat(33))).toBeNull()
    expect(cleanNickname('\t')).toBeNull()
    expect(cleanNickname('a\u0007b')).toBeNull()
  })

  test('AtRestCipher: round trip, random IV, tamper detection, key separation', () => {
    const c = new AtRestCipher(SECRET)
    const a = c.encrypt('tiihtNczf5v6AKRyjwEUhQ==')
    expect(a).not.toContain('tiihtNczf5v6AKRyjwEUhQ')
    expect(c.encrypt('tiihtNczf5v6AKRyjwEUhQ==')).not.toBe(a)
    expect(c.decrypt(a)).toBe('tiihtNczf5v6AKRyjwEUhQ==')
    const [iv, tag, ct] = a.split('.')
    const flipped = Buffer.from(ct!, 'base64url')
    flipped[0] = flipped[0]! ^ 1
    expect(() => c.decrypt(`${iv}.${tag}.${flipped.toString('base64url')}`)).toThrow()
    expect(() => new AtRestCipher(`${SECRET}x`).decrypt(a)).toThrow()
  })

  test('sniffImage', () => {
    expect(sniffImage(PNG_1x1)).toBe('image/png')
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg')
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(sniffImage(Buffer.from('GIF89a'))).toBeNull()
    expect(sniffImage(Buffer.alloc(0))).toBeNull()
  })
})

describe('logger redaction', () => {
  test('credentials, codes, payloads and keys never reach a log line', () => {
    const lines: string[] = []
    const log = createLogger('debug', { write: (l: string) => void lines.push(l) })
    const secrets = {
      authorization: 'Bearer sAAAA.tokentokentoken',
      cookie: 'sid=cookiecookie',
      token: 'plain-token-value',
      secret: 'app-secret-value',
      session_key: 'sessionkeyvalue==',
      sessionKey: 'sessionkeyvalue2==',
    }
    log.info(secrets, 'top level')
    log.info(
      {
        req: {
          headers: {
            authorization: 'Bearer hdrtoken',
            'x-wx-code': 'wxcodevalue',
            'x-session-token': 'respTokenValue',
          },
        },
      },
      'headers',
    )
    log.info(
      {
        body: {
          code: 'bodycodevalue',
          encryptedData: 'encdatavalue',
          iv: 'ivvaluevalue',
          signature: 'sigvaluevalue',
          rawData: 'rawdatavalue',
        },
      },
      'body',
    )
    log.info({ res: { headers: { 'x-session-token': 'resHeaderToken' } } }, 'res')
    const text = lines.join('')
    for (const v of [
      ...Object.values(secrets),
      'hdrtoken',
      'wxcodevalue',
      'respTokenValue',
      'bodycodevalue',
      'encdatavalue',
      'ivvaluevalue',
      'sigvaluevalue',
      'rawdatavalue',
      'resHeaderToken',
    ]) {
      expect(text).not.toContain(v)
    }
    expect(text).toContain('[redacted]')
  })
})

describe('real WeChat mode', () => {
  test('no simulator control routes; an unreachable WeChat answers 503', async () => {
    const { buildApp } = await import('../src/app')
    const { testConfig } = await import('../src/config')
    const lines: string[] = []
    const app = await buildApp(
      testConfig({
        wechat: {
          mode: 'real',
          appid: 'wx1234567890abcdef',
          secret: 'real-secret-never-logged',
          apiBaseUrl: 'http://127.0.0.1:9',
        },
      }),
      { logStream: { write: (l: string) => void lines.push(l) } },
    )
    try {
      const sim = await app.inject({ method: 'POST', url: '/__sim/login-code', payload: {} })
      expect(sim.statusCode).toBe(404)
      const login = await app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { code: '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d' },
      })
      expect(login.statusCode).toBe(503)
      expect(login.json().error.code).toBe('WECHAT_UNAVAILABLE')
      expect(lines.join('')).not.toContain('real-secret-never-logged')
      expect(lines.join('')).not.toContain('0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d')
    } finally {
      await app.close()
    }
  })
})
