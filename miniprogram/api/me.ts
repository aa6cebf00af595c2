// The signed-in user. Profile saving and phone binding go through the kit's flows
// (auth.saveProfile / auth.bindPhone); these are the plain reads and writes.
import { auth } from './client'
import type { User } from 'wx-login-kit'

export async function fetchMe(): Promise<User> {
  const res = await auth.request<User>({ url: '/me', method: 'GET', auth: 'required' })
  return res.data
}

export async function updateMe(patch: { nickname?: string; avatarUrl?: string }): Promise<User> {
  const res = await auth.request<User>({
    url: '/me',
    method: 'PUT',
    data: { ...patch },
    auth: 'required',
  })
  return res.data
}
