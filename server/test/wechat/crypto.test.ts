import { createCipheriv } from 'crypto'
import {
  WeChatDecryptError,
  decodeStrictBase64,
  decryptWeChatData,
  encryptWeChatData,
  sessionKeySignature,
  signRawData,
  verifyRawDataSignature,
  type WeChatDecryptFailure,
} from '../../src/wechat/crypto'

// WeChat's official sample (wechat-platform.md §4).
const APPID = 'wx4f4bc4dec97d474b'
const SESSION_KEY = 'tiihtNczf5v6AKRyjwEUhQ=='
const IV = 'r7BXXKkLb8qrSNn05n0qiA=='
const ENCRYPTED =
  'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew=='

// The signature example of the official signature doc.
const RAW_DATA =
  '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}'
const RAW_SESSION_KEY = 'HyVFkGl5F5OQWJZZaNzBBg=='
const RAW_SIGNATURE = '75e81ceda165f4ffa64f4068af58c64b8f54b88c'

function reasonOf(run: () => unknown): WeChatDecryptFailure | 'none' {
  try {
    run()
    return 'none'
  } catch (e) {
    if (e instanceof WeChatDecryptError) return e.reason
    throw e
  }
}

function flipByte(b64: string, index: number): string {
  const buf = Buffer.from(b64, 'base64')
  buf[index] = buf[index]! ^ 0x01
  return buf.toString('base64')
}

/** AES-128-CBC without padding, to craft payloads with chosen trailing bytes. */
function encryptRaw(key: string, iv: string, plain: Buffer): string {
  const c = createCipheriv('aes-128-cbc', Buffer.from(key, 'base64'), Buffer.from(iv, 'base64'))
  c.setAutoPadding(false)
  return Buffer.concat([c.update(plain), c.final()]).toString('base64')
}

describe('decryptWeChatData: official test vector', () => {
  it('decrypts the official sample to its openId, unionId and watermark', () => {
    const data = decryptWeChatData(SESSION_KEY, ENCRYPTED, IV, APPID)
    expect(data.openId).toBe('oGZUI0egBJY1zhBYw2KhdUfwVJJE')
    expect(data.unionId).toBe('ocMvos6NjeKLIBqg5Mr9QjxrP1FA')
    expect(data.nickName).toBe('Band')
    expect(data.watermark).toEqual({ timestamp: 1477314187, appid: APPID })
  })

  it('rejects another appid in the watermark', () => {
    expect(
      reasonOf(() => decryptWeChatData(SESSION_KEY, ENCRYPTED, IV, 'wx0000000000000000')),
    ).toBe('watermark_mismatch')
  })
})

describe('decryptWeChatData: hostile and broken payloads', () => {
  it('tampered last block -> bad_padding', () => {
    const buf = Buffer.from(ENCRYPTED, 'base64')
    // Flipping a bit of the second-to-last block changes the last plaintext block's padding.
    const tampered = flipByte(ENCRYPTED, buf.length - 17)
    expect(reasonOf(() => decryptWeChatData(SESSION_KEY, tampered, IV, APPID))).toBe('bad_padding')
  })

  it('tampered first block -> bad_json (garbled text) and never returns data', () => {
    const tampered = flipByte(ENCRYPTED, 3)
    const reason = reasonOf(() => decryptWeChatData(SESSION_KEY, tampered, IV, APPID))
    expect(['bad_json', 'bad_padding']).toContain(reason)
    expect(reason).not.toBe('none')
  })

  it('tampered iv changes the first block -> bad_json', () => {
    // CBC: the iv only XORs into the first plaintext block, '{"openId"...' becomes non-JSON.
    const ivBuf = Buffer.from(IV, 'base64')
    ivBuf[0] = ivBuf[0]! ^ 0x55
    expect(
      reasonOf(() => decryptWeChatData(SESSION_KEY, ENCRYPTED, ivBuf.toString('base64'), APPID)),
    ).toBe('bad_json')
  })

  it('truncated to a non-multiple of 16 -> bad_length; dropped last block -> bad_padding/bad_json', () => {
    const buf = Buffer.from(ENCRYPTED, 'base64')
    const odd = buf.subarray(0, buf.length - 5).toString('base64')
    expect(reasonOf(() => decryptWeChatData(SESSION_KEY, odd, IV, APPID))).toBe('bad_length')
    const short = buf.subarray(0, buf.length - 16).toString('base64')
    expect(['bad_padding', 'bad_json']).toContain(
      reasonOf(() => decryptWeChatData(SESSION_KEY, short, IV, APPID)),
    )
  })

  it('empty ciphertext -> bad_length', () => {
    expect(reasonOf(() => decryptWeChatData(SESSION_KEY, '', IV, APPID))).toBe('bad_length')
  })

  it('wrong key -> bad_padding or bad_json, never data', () => {
    const wrongKeys = [
      'AAAAAAAAAAAAAAAAAAAAAA==',
      'HyVFkGl5F5OQWJZZaNzBBg==',
      Buffer.alloc(16, 7).toString('base64'),
    ]
    for (const key of wrongKeys) {
      expect(['bad_padding', 'bad_json']).toContain(
        reasonOf(() => decryptWeChatData(key, ENCRYPTED, IV, APPID)),
      )
    }
  })

  it('key of the wrong size -> bad_key; iv of the wrong size -> bad_iv', () => {
    expect(
      reasonOf(() => decryptWeChatData('AAAAAAAAAAAAAAAAAAAAAAAA', ENCRYPTED, IV, APPID)),
    ).toBe('bad_key')
    expect(reasonOf(() => decryptWeChatData(SESSION_KEY, ENCRYPTED, 'AAAAAAAAAAAA', APPID))).toBe(
      'bad_iv',
    )
  })

  it('non-canonical or invalid base64 -> bad_base64 with the field', () => {
    const cases: Array<[string, string, string, 'sessionKey' | 'encryptedData' | 'iv']> = [
      [SESSION_KEY, ENCRYPTED.replace(/\+/g, ' '), IV, 'encryptedData'], // '+' lost in a URL
      [SESSION_KEY, ENCRYPTED.replace(/=+$/, ''), IV, 'encryptedData'], // padding stripped
      [SESSION_KEY, `${ENCRYPTED}\n`, IV, 'encryptedData'],
      [SESSION_KEY, ENCRYPTED.replace(/\+/g, '-').replace(/\//g, '_'), IV, 'encryptedData'], // base64url
      [SESSION_KEY, ENCRYPTED, 'r7BXXKkLb8qrSNn05n0qiB==', 'iv'], // non-zero trailing bits
      [SESSION_KEY, ENCRYPTED, 'r7BXXKkLb8qrSNn05n0qiA=', 'iv'],
      ['tiihtNczf5v6AKRyjwEUhQ=', ENCRYPTED, IV, 'sessionKey'],
      ['tiihtNczf5v6AKRyjwEU*Q==', ENCRYPTED, IV, 'sessionKey'],
    ]
    for (const [key, data, iv, field] of cases) {
      try {
        decryptWeChatData(key, data, iv, APPID)
        throw new Error('expected a failure')
      } catch (e) {
        expect(e).toBeInstanceOf(WeChatDecryptError)
        expect((e as WeChatDecryptError).reason).toBe('bad_base64')
        expect((e as WeChatDecryptError).field).toBe(field)
      }
    }
  })

  it('checks PKCS#7 padding byte by byte -> bad_padding', () => {
    const key = Buffer.alloc(16, 1).toString('base64')
    const iv = Buffer.alloc(16, 2).toString('base64')
    const json = Buffer.from('{"watermark":{"appid":"wxA"}}', 'utf8') // 29 bytes
    const withPad = (pad: Buffer): string => encryptRaw(key, iv, Buffer.concat([json, pad]))
    // Correct padding: 3 x 0x03.
    expect(decryptWeChatData(key, withPad(Buffer.from([3, 3, 3])), iv, 'wxA').watermark.appid).toBe(
      'wxA',
    )
    // Inconsistent padding bytes, zero padding, padding longer than a block.
    expect(reasonOf(() => decryptWeChatData(key, withPad(Buffer.from([1, 2, 3])), iv, 'wxA'))).toBe(
      'bad_padding',
    )
    expect(reasonOf(() => decryptWeChatData(key, withPad(Buffer.from([0, 0, 0])), iv, 'wxA'))).toBe(
      'bad_padding',
    )
    const longPad = encryptRaw(
      key,
      iv,
      Buffer.concat([json, Buffer.alloc(3, 0x11), Buffer.alloc(16, 0x11)]),
    )
    expect(reasonOf(() => decryptWeChatData(key, longPad, iv, 'wxA'))).toBe('bad_padding')
  })

  it('valid padding around non-JSON, a JSON array or bad UTF-8 -> bad_json', () => {
    const key = Buffer.alloc(16, 3).toString('base64')
    const iv = Buffer.alloc(16, 4).toString('base64')
    const pkcs7 = (b: Buffer): Buffer => {
      const n = 16 - (b.length % 16)
      return Buffer.concat([b, Buffer.alloc(n, n)])
    }
    for (const plain of [
      Buffer.from('not json at all', 'utf8'),
      Buffer.from('[1,2,3]', 'utf8'),
      Buffer.from('null', 'utf8'),
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    ]) {
      expect(
        reasonOf(() => decryptWeChatData(key, encryptRaw(key, iv, pkcs7(plain)), iv, 'wxA')),
      ).toBe('bad_json')
    }
  })

  it('a payload without a watermark -> watermark_mismatch', () => {
    const key = Buffer.alloc(16, 5).toString('base64')
    const { encryptedData, iv } = encryptWeChatData(key, { phoneNumber: '13800138000' })
    expect(reasonOf(() => decryptWeChatData(key, encryptedData, iv, 'wxA'))).toBe(
      'watermark_mismatch',
    )
  })

  it('error messages never carry key, iv or data', () => {
    try {
      decryptWeChatData(SESSION_KEY, ENCRYPTED, IV, 'wx0000000000000000')
    } catch (e) {
      const text = `${String(e)} ${JSON.stringify(e)}`
      expect(text).not.toContain(SESSION_KEY)
      expect(text).not.toContain(IV)
      expect(text).not.toContain(ENCRYPTED.slice(0, 20))
    }
  })
})

describe('encryptWeChatData', () => {
  it('round-trips through decryptWeChatData, with a given or a random iv', () => {
    const key = Buffer.alloc(16, 9).toString('base64')
    const payload = { nickName: '微信用户', watermark: { appid: 'wxB', timestamp: 1 } }
    const a = encryptWeChatData(key, payload)
    expect(decryptWeChatData(key, a.encryptedData, a.iv, 'wxB')).toEqual(payload)
    const b = encryptWeChatData(key, payload, IV)
    expect(b.iv).toBe(IV)
    expect(decryptWeChatData(key, b.encryptedData, IV, 'wxB')).toEqual(payload)
  })

  it('reproduces the official ciphertext from its plaintext', () => {
    const plain = decryptWeChatData(SESSION_KEY, ENCRYPTED, IV, APPID)
    expect(encryptWeChatData(SESSION_KEY, plain, IV).encryptedData).toBe(ENCRYPTED)
  })
})

describe('signatures', () => {
  it('reproduces the official rawData signature vector', () => {
    expect(signRawData(RAW_DATA, RAW_SESSION_KEY)).toBe(RAW_SIGNATURE)
    expect(verifyRawDataSignature(RAW_DATA, RAW_SESSION_KEY, RAW_SIGNATURE)).toBe(true)
  })

  it('rejects a tampered rawData, a wrong key, a wrong-length or non-hex signature', () => {
    expect(
      verifyRawDataSignature(RAW_DATA.replace('Band', 'Bond'), RAW_SESSION_KEY, RAW_SIGNATURE),
    ).toBe(false)
    expect(verifyRawDataSignature(RAW_DATA, SESSION_KEY, RAW_SIGNATURE)).toBe(false)
    expect(verifyRawDataSignature(RAW_DATA, RAW_SESSION_KEY, RAW_SIGNATURE.slice(1))).toBe(false)
    expect(verifyRawDataSignature(RAW_DATA, RAW_SESSION_KEY, `${RAW_SIGNATURE}00`)).toBe(false)
    expect(verifyRawDataSignature(RAW_DATA, RAW_SESSION_KEY, RAW_SIGNATURE.toUpperCase())).toBe(
      false,
    )
    expect(verifyRawDataSignature(RAW_DATA, RAW_SESSION_KEY, '')).toBe(false)
    expect(verifyRawDataSignature(RAW_DATA, RAW_SESSION_KEY, 'é'.repeat(20))).toBe(false)
  })

  it('hmac_sha256 uses the session_key string as key (official http-signature example)', () => {
    expect(sessionKeySignature('o0q0otL8aEzpcZL/FT9WsQ==', '{"foo":"bar"}')).toBe(
      '654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b',
    )
    expect(sessionKeySignature(SESSION_KEY)).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('decodeStrictBase64', () => {
  it('accepts canonical base64 only', () => {
    expect(decodeStrictBase64('')).toEqual(Buffer.alloc(0))
    expect(decodeStrictBase64('QQ==')).toEqual(Buffer.from('A'))
    for (const bad of ['QQ=', 'QR==', 'Q Q==', 'QQ==QQ==', 'Q===', '====', '-_8=', 42, null]) {
      expect(decodeStrictBase64(bad)).toBeNull()
    }
  })
})
