import { Type, type Static } from 'typebox'
import { WxCode } from './common'

// PUT /me, not PATCH: wx.request has no PATCH (wechat-platform.md §10).
export const UpdateMeBody = Type.Object(
  {
    nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    avatarUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateMeBodyT = Static<typeof UpdateMeBody>

export const PhoneBody = Type.Object({ code: WxCode }, { additionalProperties: false })
export type PhoneBodyT = Static<typeof PhoneBody>

export const WeChatProfileBody = Type.Object(
  {
    code: WxCode,
    rawData: Type.String({ minLength: 2, maxLength: 4096 }),
    signature: Type.String({ minLength: 40, maxLength: 40, pattern: '^[0-9a-f]{40}$' }),
    encryptedData: Type.String({ minLength: 4, maxLength: 8192 }),
    iv: Type.String({ minLength: 4, maxLength: 64 }),
  },
  { additionalProperties: false },
)
export type WeChatProfileBodyT = Static<typeof WeChatProfileBody>

export const AvatarResponse = Type.Object({ url: Type.String() })

export const AvatarParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
})
