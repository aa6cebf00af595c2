// The simulated WeChat server API (design.md "The WeChat simulator").
export {
  ANONYMOUS_USER_INFO,
  SIM_APIS,
  SIM_DEFAULT_APPID,
  SIM_DEFAULT_SECRET,
  SIM_DEV_OPENID,
  SIM_MAX_CODES,
  SIM_MAX_FAULTS,
  SIM_MAX_USERS,
  SimFaultLimitError,
  createSimWeChat,
  type SimApi,
  type SimClock,
  type SimDeliveredMessage,
  type SimTemplate,
  type SimFault,
  type SimFaults,
  type SimProfilePayload,
  type SimRequest,
  type SimUser,
  type SimUserInfo,
  type SimWeChat,
  type SimWeChatOptions,
} from './sim'
export { simWeChatRoutes, type SimWeChatRoutesOptions } from './wechat-routes'
export {
  SIM_CONTROL_PREFIX,
  simControlRoutes,
  type SimControlRoutesOptions,
} from './control-routes'
