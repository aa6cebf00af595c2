// The server half of the login protocol as a library (docs/protocol.md): framework-neutral, with
// a Fastify plugin (fastify/, which the reference server is built on) and an Express
// middleware (express/) over it.
export {
  LoginCore,
  type AuthContext,
  type Authenticated,
  type Credentials,
  type LoginCoreOptions,
  type LoginResult,
  type SessionGrant,
} from './login-core'
export { EXPOSED_HEADERS, sessionHeaders } from './session-headers'
export { errorBody, INTERNAL_ERROR, protocolErrorAnswer, type ErrorAnswer } from './error-answer'
export {
  createLoginCore,
  type CreateLoginCoreOptions,
  type LoginCoreHandle,
} from './create-login-core'
export { AppError, unauthorized, rateLimited, type ErrorCode } from '../errors'
export { toUserJson, UserService, type UserJson, type UserRow } from '../services/users'
export { SessionService } from '../services/sessions'
export { createDb, type Db } from '../db'
export { createWeChatClient, httpTransport, type WeChatClient } from '../wechat'
