// The app's single auth instance, created when this module is first imported (at launch, from
// app.ts). Pages and the api/ modules use it; the kit's components reach it through getAuth().
import { createAuth } from 'wx-login-kit'
import { serverOrigin } from '../config'

export const auth = createAuth({ baseUrl: serverOrigin() })

export type { User, AuthErrorCode } from 'wx-login-kit'
