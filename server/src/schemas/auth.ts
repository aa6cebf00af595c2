import { Type, type Static } from 'typebox'
import { User, WxCode } from './common'

export const LoginBody = Type.Object({ code: WxCode }, { additionalProperties: false })
export type LoginBodyT = Static<typeof LoginBody>

export const LoginResponse = Type.Object({
  token: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds' }),
  user: User,
})

export const OkResponse = Type.Object({ ok: Type.Boolean() })
