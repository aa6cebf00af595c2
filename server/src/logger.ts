// pino with redaction: credentials, codes, tokens, encrypted payloads and session keys never
// reach a log line, whatever object a log call is handed.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'

const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-wx-code',
  'x-session-token',
  'code',
  'js_code',
  'encryptedData',
  'iv',
  'signature',
  'rawData',
  'session_key',
  'sessionKey',
  'session_key_enc',
  'secret',
  'token',
  'access_token',
  'password',
]

/** `.key` for identifiers, `["key"]` for header names with dashes. */
const member = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`)

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => {
  const m = member(k)
  return [
    ...(m.startsWith('.') ? [k] : []),
    `*${m}`,
    `*.*${m}`,
    `*.*.*${m}`,
    `req.headers${m}`,
    `res.headers${m}`,
  ]
})

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'wx-login-server' },
  }
}

export function createLogger(level: string, stream?: DestinationStream): Logger {
  return stream === undefined ? pino(loggerOptions(level)) : pino(loggerOptions(level), stream)
}

/** Human-readable logs for `npm start` in a terminal (pino-pretty, a dev dependency). */
export function createPrettyLogger(level: string): Logger {
  return pino({
    ...loggerOptions(level),
    transport: {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' },
    },
  })
}
