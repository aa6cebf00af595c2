// The simulated WeChat over real HTTP: api.weixin.qq.com's paths, served by a Fastify plugin so
// the client can be exercised with httpTransport against a listening sim. Bodies are read as raw
// text and parsed by the sim, like WeChat does (a bad body is errcode 47001, not a Fastify 400).

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { SimWeChat } from './sim'

export interface SimWeChatRoutesOptions {
  sim: SimWeChat
}

const PATHS = [
  '/sns/jscode2session',
  '/cgi-bin/stable_token',
  '/cgi-bin/token',
  '/wxa/business/getuserphonenumber',
  '/wxa/checksession',
  '/cgi-bin/message/subscribe/send',
] as const

function queryOf(req: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  const q = req.query
  if (typeof q === 'object' && q !== null) {
    for (const [k, v] of Object.entries(q as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v
      else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0]
    }
  }
  return out
}

export const simWeChatRoutes: FastifyPluginAsync<SimWeChatRoutesOptions> = async (app, opts) => {
  const { sim } = opts
  // Encapsulated: these parsers only apply to the routes of this plugin.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
    done(null, body),
  )

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = req.url.split('?')[0]!
    const res = await sim.handle({
      method: req.method,
      path,
      query: queryOf(req),
      body: typeof req.body === 'string' ? req.body : undefined,
    })
    const isJson = res.text.startsWith('{') || res.status === 200
    reply
      .code(res.status)
      .header(
        'content-type',
        isJson ? 'application/json; encoding=utf-8' : 'text/html; charset=utf-8',
      )
    return reply.send(res.text)
  }

  for (const path of PATHS) {
    app.route({ method: ['GET', 'POST'], url: path, handler })
  }
}
