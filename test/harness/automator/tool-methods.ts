// Tool.*: version check, close, and native() — answering the fake wx's system dialogs and the
// native navigation buttons.
import type { DialogKind } from '../wx/dialogs'
import { type HandlerTable, ProtocolError, unsupported } from './protocol'
import type { Session } from './session'

const MODAL_KINDS: DialogKind[] = ['modal', 'actionsheet']
const AUTHORIZE_KINDS: DialogKind[] = [
  'authorize',
  'privacy',
  'phone',
  'profile',
  'avatar',
  'subscribe',
  'location',
  'settings',
]

/** A dialog may open a moment after the tap that starts it: wait this long for one. */
const DIALOG_WAIT_MS = 3000

async function answer(
  s: Session,
  answer: 'confirm' | 'cancel',
  kinds: DialogKind[],
  name: string,
): Promise<void> {
  const dialogs = s.dialogs
  if (!dialogs) throw new ProtocolError(`Tool.native ${name}: the runtime has no dialogs`)
  const deadline = Date.now() + DIALOG_WAIT_MS
  for (;;) {
    const open = dialogs.pending().find((d) => kinds.includes(d.kind))
    if (open) {
      s.beforeAnswer?.(open, answer)
      dialogs.answer(answer, [open.kind])
      return
    }
    if (Date.now() > deadline) throw new ProtocolError(`Tool.native ${name}: no dialog is open`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * What only WeChat DevTools (or its WeChat account) can do: each answers a clear error naming the
 * protocol method and the client method that sends it.
 */
const DEVTOOLS_ONLY: Record<string, string> = {
  'Tool.enableRemoteDebug': 'miniProgram.remote() debugs on a phone through WeChat DevTools',
  'Tool.getTestAccounts': 'miniProgram.testAccounts() lists WeChat DevTools test accounts',
  'Tool.stopAudits': 'miniProgram.stopAudits() reads WeChat DevTools audits (体验评分)',
  'Tool.getTicket': 'miniProgram.getTicket() reads the WeChat DevTools login ticket',
  'Tool.setTicket': 'miniProgram.setTicket() sets the WeChat DevTools login ticket',
  'Tool.refreshTicket': 'miniProgram.refreshTicket() refreshes the WeChat DevTools login ticket',
}

export function toolMethods(s: Session): HandlerTable {
  const devtoolsOnly: HandlerTable = {}
  for (const [method, why] of Object.entries(DEVTOOLS_ONLY)) {
    devtoolsOnly[method] = () => {
      throw unsupported(method, why)
    }
  }
  return {
    ...devtoolsOnly,
    'Tool.getInfo': () => ({ SDKVersion: '3.6.0' }),
    'Tool.close': () => {
      // Answer first, then stop.
      setTimeout(() => s.close(), 50)
      return {}
    },
    'Tool.native': async (p) => {
      const method = p.string('method')
      const data = p.object('data')
      const rt = s.runtime
      switch (method) {
        case 'confirmModal':
          await answer(s, 'confirm', MODAL_KINDS, method)
          return {}
        case 'cancelModal':
          await answer(s, 'cancel', MODAL_KINDS, method)
          return {}
        case 'authorizeAllow':
          await answer(s, 'confirm', AUTHORIZE_KINDS, method)
          return {}
        case 'authorizeCancel':
          await answer(s, 'cancel', AUTHORIZE_KINDS, method)
          return {}
        case 'closePaymentDialog':
          await answer(s, 'cancel', ['payment'], method)
          return {}
        case 'shareConfirm':
          await answer(s, 'confirm', ['share'], method)
          return {}
        case 'shareCancel':
          await answer(s, 'cancel', ['share'], method)
          return {}
        case 'goHome':
          await rt.router.reLaunch(`/${rt.project.entryPage}`)
          return {}
        case 'navigateLeft':
          await rt.router.navigateBack(1)
          return {}
        case 'switchTab': {
          const url =
            typeof data.url === 'string'
              ? data.url
              : typeof data.pagePath === 'string'
                ? data.pagePath
                : ''
          await rt.router.switchTab(url.startsWith('/') ? url : `/${url}`)
          return {}
        }
        default:
          throw unsupported(`Tool.native ${method}`)
      }
    },
  }
}
