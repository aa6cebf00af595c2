// Small crypto helpers: ids, session tokens, hashing, and AES-256-GCM for data at rest.
import crypto from 'node:crypto'

export function randomId(prefix: string, bytes = 12): string {
  return `${prefix}${crypto.randomBytes(bytes).toString('base64url')}`
}

export function sha256Hex(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex')
}

/** Encrypts small secrets (session_key) at rest under a key derived from SESSION_SECRET. */
export class AtRestCipher {
  private readonly key: Buffer
  constructor(sessionSecret: string) {
    this.key = Buffer.from(
      crypto.hkdfSync('sha256', sessionSecret, 'wx-login-kit', 'session_key at rest v1', 32),
    )
  }
  encrypt(plain: string): string {
    const iv = crypto.randomBytes(12)
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv)
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()])
    return [iv, c.getAuthTag(), ct].map((b) => b.toString('base64url')).join('.')
  }
  decrypt(sealed: string): string {
    const parts = sealed.split('.')
    if (parts.length !== 3) throw new Error('sealed value malformed')
    const [iv, tag, ct] = parts.map((p) => Buffer.from(p, 'base64url'))
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, iv!)
    d.setAuthTag(tag!)
    return Buffer.concat([d.update(ct!), d.final()]).toString('utf8')
  }
}
