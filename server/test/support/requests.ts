// The reference server's routes as the kit calls them, one function a request, so a test reads
// as the steps a user takes ("bind a phone", "log out") and says only what it checks.
import type { InjectOptions } from 'fastify'
import { PNG_1x1, authHeader, multipartBody, type TestApp } from '../helpers'

type InjectResponse = Awaited<ReturnType<TestApp['inject']>>
type Headers = Record<string, string>

/** POST /auth/login with a login code. */
export function loginWithCode(t: TestApp, code: string): Promise<InjectResponse> {
  return t.inject({ method: 'POST', url: '/auth/login', payload: { code } })
}

/** POST /auth/logout with the session's bearer. */
export function logout(t: TestApp, token: string): Promise<InjectResponse> {
  return t.inject({ method: 'POST', url: '/auth/logout', headers: authHeader(token) })
}

/** GET /me with the session's bearer. */
export function getMe(t: TestApp, token: string): Promise<InjectResponse> {
  return t.inject({ method: 'GET', url: '/me', headers: authHeader(token) })
}

/** PUT /me: the profile form's update. */
export function putMe(
  t: TestApp,
  token: string,
  payload: InjectOptions['payload'],
  headers: Headers = {},
): Promise<InjectResponse> {
  return t.inject({
    method: 'PUT',
    url: '/me',
    headers: { ...authHeader(token), ...headers },
    payload,
  })
}

/** POST /me/phone with a phone code (what getPhoneNumber hands the app). */
export function bindPhone(t: TestApp, token: string, code: string): Promise<InjectResponse> {
  return t.inject({
    method: 'POST',
    url: '/me/phone',
    headers: authHeader(token),
    payload: { code },
  })
}

/** POST /me/avatar: one multipart part, as wx.uploadFile sends the chosen image. */
export function uploadAvatar(
  t: TestApp,
  token: string,
  file: { data?: Buffer; field?: string; type?: string; headers?: Headers } = {},
): Promise<InjectResponse> {
  const { data = PNG_1x1, field = 'file', type, headers = {} } = file
  const mp = multipartBody([
    { name: field, filename: 'a.png', ...(type !== undefined ? { type } : {}), data },
  ])
  return t.inject({
    method: 'POST',
    url: '/me/avatar',
    headers: { ...authHeader(token), ...mp.headers, ...headers },
    payload: mp.payload,
  })
}

type ProfilePayload = ReturnType<TestApp['sim']['encryptUserProfile']>
type Profile = Parameters<TestApp['sim']['encryptUserProfile']>[1]

/** POST /me/wechat-profile's body as the kit sends it: a login code and getUserProfile's answer. */
export function signedProfileBody(p: ProfilePayload, code: string): Record<string, string> {
  const { rawData, signature, encryptedData, iv } = p
  return { code, rawData, signature, encryptedData, iv }
}

/**
 * The body for the user's next login code: the code is minted first (a new session_key), then
 * the profile is encrypted with that key, as WeChat does when the kit calls getUserProfile.
 */
export function freshProfileBody(
  t: TestApp,
  openid: string,
  profile: Profile,
): Record<string, string> {
  const { code } = t.mintCode(openid)
  return signedProfileBody(t.sim.encryptUserProfile(openid, profile), code)
}

/** POST /me/wechat-profile. */
export function sendWeChatProfile(
  t: TestApp,
  token: string,
  body: Record<string, unknown>,
): Promise<InjectResponse> {
  return t.inject({
    method: 'POST',
    url: '/me/wechat-profile',
    headers: authHeader(token),
    payload: body,
  })
}

/** The status and the envelope's error code of a refused request. */
export function expectError(res: InjectResponse, status: number, code: string): void {
  expect(res.statusCode).toBe(status)
  expect(res.json<{ error: { code: string } }>().error.code).toBe(code)
}

/** POST `url` with a raw body under `contentType`: malformed JSON, another media type. */
export function postRaw(
  t: TestApp,
  url: string,
  payload: string,
  contentType = 'application/json',
): Promise<InjectResponse> {
  return t.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload })
}
