// What an answer carries after an X-WX-Code login (docs/protocol.md "One round trip") or a
// session's rotation ("Sessions"): the token and its lifetime in headers only, readable through
// CORS, never cached.
import type { SessionGrant } from './login-core'

export const EXPOSED_HEADERS = 'X-Session-Token, X-Session-Expires-In'

export function sessionHeaders(login: SessionGrant): Record<string, string> {
  return {
    'X-Session-Token': login.token,
    'X-Session-Expires-In': String(login.expiresIn),
    'Access-Control-Expose-Headers': EXPOSED_HEADERS,
    'Cache-Control': 'no-store',
  }
}
