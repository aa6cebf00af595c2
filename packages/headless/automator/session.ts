// What the protocol handlers work on: the runtime, the fake wx's dialogs, and a way to send
// events to the connected client.
import type { DialogAnswer, Dialogs, PendingDialog } from '../wx/dialogs'
import type { HeadlessRuntime } from '../runtime/runtime'

export interface Session {
  runtime: HeadlessRuntime
  dialogs?: Dialogs
  /** Sends an event (no id) to every connected client. */
  emit(method: string, params: Record<string, unknown>): void
  /** Whether App.enableLog was received: console output is forwarded only then. */
  logEnabled: boolean
  /** base64 PNG of the current page. */
  screenshot(): Promise<string>
  /**
   * What the user does on a dialog before closing it, beyond the answer itself: on the settings
   * page, authorizeAllow means "switch the refused permissions on".
   */
  beforeAnswer?: (dialog: PendingDialog, answer: DialogAnswer) => void
  /** Tool.close: stop serving (the CLI exits the process). */
  close(): void
}
