// An Express back end that speaks the login protocol (docs/protocol.md) through the server
// library's middleware: login, logout, and a protected /me that also accepts X-WX-Code. This is
// all a team with an Express app adds; its own routes go behind `wx.requireAuth` the same way.
import type { LoginCore } from '@wx-login-kit/server/core'
import { toUserJson, AppError } from '@wx-login-kit/server/core'
import {
  wxLoginMiddleware,
  type WxLoginMiddlewareOptions,
  type WxRequest,
} from '@wx-login-kit/server/express'
import express, { type Express, type Response } from 'express'

/** What PUT /me accepts: a nickname of 1–32 characters without control characters. */
function nicknameOf(body: unknown): string {
  const nickname =
    typeof body === 'object' && body !== null
      ? (body as { nickname?: unknown }).nickname
      : undefined
  if (typeof nickname !== 'string' || !/^[^\p{Cc}]{1,32}$/u.test(nickname.trim())) {
    throw new AppError(400, 'VALIDATION_FAILED', 'nickname must be 1–32 characters')
  }
  return nickname.trim()
}

export function createExampleApp(
  core: LoginCore<WxRequest>,
  opts: WxLoginMiddlewareOptions = {},
): Express {
  const wx = wxLoginMiddleware(core, opts)
  const app = express()
  app.disable('x-powered-by')
  const json = express.json({ limit: '64kb' })

  const sendUser = async (req: WxRequest, res: Response): Promise<void> => {
    const user = await core.users.byId(wx.authOf(req).userId)
    if (user === undefined) throw new AppError(401, 'SESSION_INVALID', 'user no longer exists')
    res.json(toUserJson(user))
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })
  app.post('/auth/login', json, wx.login)
  app.post('/auth/logout', wx.requireBearer, wx.logout)
  app.get('/me', wx.requireAuth, sendUser)
  // Authentication first, then the body: a caller without a session gets 401 whatever it sent.
  app.put('/me', wx.requireAuth, json, async (req: WxRequest, res: Response) => {
    await core.users.update(wx.authOf(req).userId, { nickname: nicknameOf(req.body) })
    await sendUser(req, res)
  })
  app.use(wx.notFound)
  app.use(wx.errorHandler)
  return app
}
