// wx.getUserProfile (platform doc §4): tap only, desc 1-30 chars, a privacy API, a 'profile'
// dialog per call (deny -> `getUserProfile:fail auth deny`); the payload comes from a pluggable
// source (the headless runtime plugs the server simulator's /__sim/profile-payload), by default
// the anonymous answer of base library >= 2.27.1. Also the chooseAvatar button helper.
import { createHash, randomBytes } from 'node:crypto'
import { ANONYMOUS_USER_INFO } from './anonymous-user'
import { WxFail, wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { requireTap } from './gesture'
import { privacyGate } from './privacy'
import { addTempFile } from './upload'

export interface ProfilePayload {
  userInfo: Record<string, unknown> & { nickName: string; avatarUrl: string }
  rawData: string
  signature: string
  encryptedData: string
  iv: string
  cloudID?: string
}

export type ProfileSource = (req: {
  desc: string
  lang?: string
}) => Promise<ProfilePayload> | ProfilePayload

/** A payload around `userInfo`: rawData is its JSON; signature and ciphertext are opaque here. */
export function profilePayload(userInfo: ProfilePayload['userInfo']): ProfilePayload {
  const rawData = JSON.stringify(userInfo)
  return {
    userInfo,
    rawData,
    signature: createHash('sha1')
      .update(rawData + 'fake-session-key')
      .digest('hex'),
    encryptedData: randomBytes(48).toString('base64'),
    iv: randomBytes(16).toString('base64'),
    cloudID: '',
  }
}

/**
 * What getUserProfile answers since base library 2.27.1: '微信用户', grey avatar, is_demote. The
 * payload is the simulated WeChat server's, so both halves of the simulator agree on it.
 */
export const anonymousProfile: ProfileSource = () => profilePayload({ ...ANONYMOUS_USER_INFO })

export function profileApis(ctx: FakeWxContext) {
  let source: ProfileSource = anonymousProfile
  let rejectAvatars = 0
  const state = { profileCalls: 0 }

  const wx = {
    getUserProfile: wxAsync('getUserProfile', async (o: { desc?: string; lang?: string }) => {
      state.profileCalls++
      requireTap(ctx, 'getUserProfile') // synchronous: the gesture must be active at the call
      if (!o.desc || o.desc.length > 30)
        throw new WxFail('getUserProfile', 'desc length does not meet the requirements')
      await privacyGate(ctx, 'getUserProfile')
      const a = await ctx.dialogs.open('profile', 'getUserProfile', { desc: o.desc })
      if (a !== 'confirm') throw new WxFail('getUserProfile', 'auth deny')
      return { ...(await source({ desc: o.desc, lang: o.lang })) }
    }),
    // Since 2021-04-13 wx.getUserInfo opens no dialog and answers the anonymous user ('微信用户',
    // grey avatar) in the same payload shape; older shops still call it in onLoad.
    // https://developers.weixin.qq.com/miniprogram/dev/api/open-api/user-info/wx.getUserInfo.html
    getUserInfo: wxAsync('getUserInfo', () =>
      Promise.resolve({ ...profilePayload({ ...ANONYMOUS_USER_INFO }) }),
    ),
  }
  const control = {
    /** Where allowed getUserProfile payloads come from (default: the anonymous payload). */
    setProfileSource(fn: ProfileSource) {
      source = fn
    },
    /** getUserProfile calls, refused ones included. */
    get profileCalls(): number {
      return state.profileCalls
    },
    /** The next `times` chosen avatars fail the content check (never delivered, §4). */
    rejectNextAvatar(times = 1) {
      rejectAvatars += times
    },
    /**
     * The user taps `<button open-type="chooseAvatar">` and picks an image: resolves the
     * bindchooseavatar detail `{avatarUrl: 'wxfile://tmp_...'}`, or null when no event fires
     * (cancelled, privacy refused, or the image failed the content check).
     */
    async chooseAvatar(): Promise<{ avatarUrl: string } | null> {
      try {
        await privacyGate(ctx, 'chooseAvatar', 'button.chooseAvatar')
      } catch {
        return null
      }
      const a = await ctx.dialogs.open('avatar', 'chooseAvatar')
      if (a !== 'confirm') return null
      if (rejectAvatars > 0) {
        rejectAvatars--
        return null
      }
      return { avatarUrl: addTempFile(ctx) }
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
