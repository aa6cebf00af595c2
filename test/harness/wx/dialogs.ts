// System dialogs of the fake wx (modal, authorization, privacy, phone, profile, ...). A dialog
// stays open until answered: by a test, by the automator's native().confirmModal()/cancelModal()/
// authorizeAllow()/authorizeCancel(), or at once by the policy a test sets.

export type DialogKind =
  | 'modal'
  | 'authorize'
  | 'privacy'
  | 'phone'
  | 'profile'
  | 'avatar'
  | 'subscribe'
  | 'settings'
  | 'location'
  | 'actionsheet'
  | 'payment'
  | 'share'

export type DialogAnswer = 'confirm' | 'cancel'

export interface PendingDialog {
  id: number
  kind: DialogKind
  /** The wx API that opened it, e.g. 'authorize', 'getUserProfile'. */
  api: string
  detail: Record<string, unknown>
}

export type DialogPolicy = 'wait' | DialogAnswer | ((d: PendingDialog) => DialogAnswer | 'wait')

interface Open extends PendingDialog {
  resolve: (a: DialogAnswer) => void
}

export class Dialogs {
  policy: DialogPolicy = 'wait'
  private nextId = 1
  private open_: Open[] = []
  private listeners = new Set<(d: PendingDialog) => void>()
  /** Every dialog ever opened, with its answer once given: for assertions. */
  readonly history: Array<PendingDialog & { answer?: DialogAnswer }> = []

  open(kind: DialogKind, api: string, detail: Record<string, unknown> = {}): Promise<DialogAnswer> {
    const d: PendingDialog = { id: this.nextId++, kind, api, detail }
    const record: PendingDialog & { answer?: DialogAnswer } = { ...d }
    this.history.push(record)
    const p = this.policy
    const auto = typeof p === 'function' ? p(d) : p
    if (auto !== 'wait') {
      record.answer = auto
      return Promise.resolve(auto)
    }
    return new Promise((resolve) => {
      this.open_.push({
        ...d,
        resolve: (a) => {
          record.answer = a
          resolve(a)
        },
      })
      for (const l of this.listeners) l(d)
    })
  }

  pending(): PendingDialog[] {
    return this.open_.map(({ resolve: _r, ...d }) => d)
  }

  /** Answers the oldest open dialog (of `kinds`, when given). Returns false when none is open. */
  answer(answer: DialogAnswer, kinds?: DialogKind[]): boolean {
    const i = this.open_.findIndex((d) => !kinds || kinds.includes(d.kind))
    if (i < 0) return false
    const [d] = this.open_.splice(i, 1)
    d!.resolve(answer)
    return true
  }

  onOpen(listener: (d: PendingDialog) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
