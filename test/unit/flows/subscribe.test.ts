import { flushMicrotasks } from '../../../packages/headless/wx/clock'
import { rejection, setup } from './setup'

describe('requestSubscribe', () => {
  it('accept / reject per template, recorded in the store', async () => {
    const { fake, auth, tap, answer } = setup()
    fake.control.setSubscribeAnswers({ t2: 'reject' })
    const p = tap(() => auth.requestSubscribe(['t1', 't2']))
    const d = await answer('subscribe', 'confirm')
    expect(d.detail).toEqual({ tmplIds: ['t1', 't2'] })
    await expect(p).resolves.toEqual({ t1: 'accept', t2: 'reject' })
    expect(auth.store.subscriptions).toEqual({ t1: 'accept', t2: 'reject' })
    expect(auth.store.reprompt).toBeNull()
  })

  it('closing the dialog rejects every template', async () => {
    const { auth, tap, answer } = setup()
    const p = tap(() => auth.requestSubscribe(['t1']))
    await answer('subscribe', 'cancel')
    await expect(p).resolves.toEqual({ t1: 'reject' })
  })

  it('ban: recorded, and the user is sent to settings the tap-bound way (reprompt)', async () => {
    const { fake, auth, tap, dialog, answer, opened } = setup()
    fake.control.setSubscription('t3', 'ban')
    const p = tap(() => auth.requestSubscribe(['t1', 't3'], { reason: '接收订单状态通知' }))
    await answer('subscribe', 'confirm')
    await expect(p).resolves.toEqual({ t1: 'accept', t3: 'ban' })
    expect(opened('subscribe')[0]!.detail).toEqual({ tmplIds: ['t1'] }) // banned: not asked
    expect(auth.store.subscriptions.t3).toBe('ban')
    expect(auth.store.reprompt).toEqual({ scope: 'subscribe:t3', reason: '接收订单状态通知' })
    // auth-sheet's openSetting button; the user re-enables the template in settings
    const detail = fake.control.tapOpenSettingButton()
    await dialog('settings')
    fake.control.setSubscription('t3', 'accept')
    await answer('settings', 'confirm')
    auth.resolveReprompt(await detail)
    expect(auth.store.reprompt).toBeNull()
    expect(auth.store.subscriptions.t3).toBe('accept')
  })

  it('ban: a detail without subscription settings makes the kit re-read them', async () => {
    const { fake, auth, tap } = setup()
    fake.control.setSubscription('t3', 'ban')
    await tap(() => auth.requestSubscribe(['t3']))
    fake.control.setSubscription('t3', 'accept')
    auth.resolveReprompt({ authSetting: {} })
    await flushMicrotasks()
    expect(auth.store.subscriptions.t3).toBe('accept')
  })

  it('filtered templates are recorded as filter', async () => {
    const { fake, auth, tap } = setup()
    fake.control.filterTemplate('t9')
    await expect(tap(() => auth.requestSubscribe(['t9']))).resolves.toEqual({ t9: 'filter' })
    expect(auth.store.subscriptions.t9).toBe('filter')
  })

  it('gesture rule: after an await -> gesture_required, no dialog', async () => {
    const { auth, tap, opened } = setup()
    const p = tap(async () => {
      await Promise.resolve()
      return auth.requestSubscribe(['t1'])
    })
    expect((await rejection(p)).code).toBe('gesture_required')
    expect(opened('subscribe')).toHaveLength(0)
  })

  it('refreshScopes reads the subscription settings too', async () => {
    const { fake, auth } = setup()
    fake.control.setSubscription('t5', 'reject')
    await auth.refreshScopes()
    expect(auth.store.subscriptions).toEqual({ t5: 'reject' })
  })
})
