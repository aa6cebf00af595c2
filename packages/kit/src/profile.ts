// Profile: getUserProfile from a tap (behaviour 8, 10) and the avatar/nickname fill-in save.
import { call, kind, saveUser, wxError, type FlowCtx, type WxErr } from './flow-util'
import { LOGIN_CODE_USABLE_MS } from './code-prefetch'
import type { User } from './types'

interface ProfileAnswer {
  userInfo: { nickName: string }
  rawData: string
  signature: string
  encryptedData: string
  iv: string
}

export type ProfileResult = { status: 'saved'; user: User } | { status: 'anonymous' }

export function profileFlows(ctx: FlowCtx) {
  const { store } = ctx
  /** The login code fetched before the tap, when, and under which session token. */
  let pre: { code: string; at: number; token: string | null } | null = null

  const prepareProfile = async (): Promise<void> => {
    // Log in first, so the profile POST needs no login (and no wx.login) after the tap.
    await ctx.ensureLogin()
    const code = await ctx.wxLogin()
    pre = { code, at: Date.now(), token: ctx.token() }
  }

  const upload = async (filePath: string): Promise<string> => {
    await ctx.ensureLogin()
    for (let failures = 0, renewed = 0; ;) {
      const r = await call<{ data: string; statusCode: number }>('uploadFile', {
        url: ctx.options.baseUrl + ctx.options.avatarUploadPath,
        filePath,
        name: 'file',
        header: { Authorization: 'Bearer ' + ctx.token() },
      }).catch((e: WxErr) => {
        // A network failure is retried twice.
        if (++failures > 2) throw ctx.fail('upload_failed', e.errMsg)
      })
      if (r?.statusCode == 401 && !renewed++) {
        // wx.uploadFile bypasses request(): let the pipeline's stale-401 guard renew the
        // session (one login at most), then upload once more with the new token.
        await ctx.request({ url: ctx.options.mePath, auth: 'required' })
      } else if (r) {
        // An HTTP error or an answer without the URL is not retried.
        try {
          const d = JSON.parse(r.data) as { url?: string; avatarUrl?: string }
          const u = r.statusCode < 300 && (d.avatarUrl || d.url)
          if (u) return u
        } catch {
          // not JSON: fails below
        }
        throw ctx.fail('upload_failed', 'HTTP ' + r.statusCode)
      }
    }
  }

  return {
    prepareProfile,

    getUserProfile(o: { desc: string }): Promise<ProfileResult> {
      // wx.getUserProfile is called now, before any await: this keeps the tap gesture.
      return call<ProfileAnswer>('getUserProfile', { desc: o.desc }).then(
        async (r) => {
          if (r.userInfo.nickName === '微信用户' || /"is_demote":\s*true/.test(r.rawData)) {
            // Anonymous data (base library >= 2.27.1): route to the fill-in form, save nothing.
            store.setProfilePrompt('anonymous')
            return { status: 'anonymous' } as const
          }
          // A code is used once.
          const c = pre
          pre = null
          // The code must predate the tap, still be usable (valid 5 minutes, less a margin for the
          // round trip), and no login may have happened since (a new login can rotate
          // session_key, and the payload would not verify): else fetch one for next tap.
          if (!c || Date.now() - c.at > LOGIN_CODE_USABLE_MS || c.token !== ctx.token()) {
            prepareProfile().catch(() => {})
            throw ctx.fail('login_failed', 'no login code ready; tap again')
          }
          const user = await saveUser(ctx, 'wechatProfilePath', 'POST', {
            code: c.code,
            rawData: r.rawData,
            signature: r.signature,
            encryptedData: r.encryptedData,
            iv: r.iv,
          })
          store.setProfilePrompt(null)
          return { status: 'saved', user } as const
        },
        (e: unknown) => {
          // A refusal is remembered so the UI offers the button again; the next tap may retry.
          const k = kind(e)
          if (k === 'deny' || k === 'cancel' || !k) store.setProfilePrompt('refused')
          throw wxError(ctx, e, 'profile_denied')
        },
      )
    },

    async saveProfile(o: { nickname?: string; avatarPath?: string }): Promise<User> {
      const nickname = o.nickname?.trim()
      if (o.nickname != null && !(nickname && [...nickname].length < 33))
        throw ctx.fail('invalid_input', 'nickname: 1-32 characters')
      if (nickname == null && !o.avatarPath) throw ctx.fail('invalid_input', 'nothing to save')
      const avatarUrl = o.avatarPath ? await upload(o.avatarPath) : undefined
      const user = await saveUser(ctx, 'mePath', 'PUT', { nickname, avatarUrl })
      store.setProfilePrompt(null)
      return user
    },
  }
}
