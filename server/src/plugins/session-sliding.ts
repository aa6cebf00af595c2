// Sliding sessions on the wire: when a bearer call finds its session due for rotation, the new
// token rides on this ordinary answer, in the same headers a one-round-trip login uses. A failed
// rotation (database trouble) never fails the call: the session simply slides on a later one.
import type { FastifyReply } from 'fastify'
import type { Logger } from 'pino'
import type { SessionService, VerifiedSession } from '../services/sessions'
import { EXPOSED_HEADERS } from './auth'

export function sendSessionToken(reply: FastifyReply, token: string, expiresIn: number): void {
  reply
    .header('X-Session-Token', token)
    .header('X-Session-Expires-In', String(expiresIn))
    .header('Access-Control-Expose-Headers', EXPOSED_HEADERS)
    .header('Cache-Control', 'no-store')
}

export async function slideSession(
  sessions: SessionService,
  verified: VerifiedSession,
  reply: FastifyReply,
  log: Logger,
): Promise<void> {
  try {
    const rotated = await sessions.rotateIfDue(verified)
    if (rotated === null) return
    sendSessionToken(reply, rotated.token, rotated.expiresIn)
    log.info({ sessionId: rotated.sessionId }, 'session rotated')
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'session rotation failed')
  }
}
