// The README's system dialogs under the CLI's default dialog policy (wait for the client), through
// the unmodified client: an action sheet is answered like a modal (confirmModal taps the device's
// item, default 0; cancelModal cancels), and the payment sheet waits until the client closes it.
import { useBasicAppOn } from '../test-support/basic-app-session'

jest.setTimeout(60_000)

const session = useBasicAppOn('/pages/home/index')

/** A wx call's outcome, kept as data so the native() answer can be sent while it waits. */
function outcome(method: string, ...args: unknown[]): Promise<{ ok: unknown } | { fail: string }> {
  return session.mp.callWxMethod(method, ...args).then(
    (r: unknown) => ({ ok: r }),
    (e: unknown) => ({ fail: e instanceof Error ? e.message : String(e) }),
  )
}

test('showActionSheet: confirmModal taps item 0 by default, cancelModal cancels', async () => {
  const tapped = outcome('showActionSheet', { itemList: ['拍照', '从相册选择'] })
  await session.mp.native().confirmModal()
  expect(await tapped).toMatchObject({ ok: { tapIndex: 0 } })
  const cancelled = outcome('showActionSheet', { itemList: ['拍照', '从相册选择'] })
  await session.mp.native().cancelModal()
  expect(await cancelled).toEqual({ fail: 'cancel' })
})

test('requestPayment records the order and waits for the sheet; closePaymentDialog cancels it', async () => {
  const order = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=7', paySign: 's' }
  const paying = outcome('requestPayment', order)
  await session.mp.native().closePaymentDialog()
  expect(await paying).toEqual({ fail: 'cancel' })
})
