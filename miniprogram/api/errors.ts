// User-facing messages (Simplified Chinese) for the kit's typed errors: the kit's own default map,
// which this app keeps as it is (extend it here, e.g. `{ ...defaultErrorMessages, network: '…' }`).
import {
  defaultErrorMessages,
  errorMessage as kitErrorMessage,
  type ErrorMessages,
} from 'wx-login-kit'

export { errorCode } from 'wx-login-kit'

const MESSAGES: ErrorMessages = defaultErrorMessages

export function errorMessage(e: unknown, fallback?: string): string {
  return kitErrorMessage(e, MESSAGES, fallback)
}
