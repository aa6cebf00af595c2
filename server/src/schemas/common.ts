import { Type, type Static } from 'typebox'

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$' }),
    message: Type.String(),
  }),
})
export type ErrorBodyT = Static<typeof ErrorBody>

/** Error answers every route may give, for the OpenAPI document. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  429: ErrorBody,
  500: ErrorBody,
  503: ErrorBody,
}

/** A WeChat temporary code (login or phone): printable, no spaces. */
export const WxCode = Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' })

export const AuthHeaders = Type.Object({
  authorization: Type.Optional(Type.String({ maxLength: 512 })),
  'x-wx-code': Type.Optional(WxCode),
})
export type AuthHeadersT = Static<typeof AuthHeaders>

export const User = Type.Object({
  id: Type.String(),
  nickname: Type.Union([Type.String(), Type.Null()]),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()], { description: "masked, e.g. '138****8000'" }),
})

/** OpenAPI security of protected routes: a bearer token, or a fresh wx.login code. */
export const secured: { security: Record<string, string[]>[] } = {
  security: [{ bearer: [] }, { wxCode: [] }],
}
