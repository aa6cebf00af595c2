// requestSubscribe on the fake wx, per platform doc §6: each template's outcome in the result;
// ban/filter reported to the developer (result and 'subscribe:blocked'), never to the user; a
// permanent reject and the main switch off offered the way back through settings; failures typed
// from errCode.
import { flushMicrotasks } from '../../../packages/headless/wx/clock'
import type { AuthEventOf } from 'wx-login-kit'
import { rejection, setup } from './setup'

/** The kit's 'subscribe:blocked' events, from now on. */
function blockedEvents(auth: ReturnType<typeof setup>['auth']) {
  const events: Array<AuthEventOf<'subscribe:blocked'>> = []
  auth.on('subscribe:blocked', (e) => events.push(e))
  return events
}

describe('requestSubscribe', () => {
  it('resolves with each template answer from the panel, recorded in the store', async () => {
    const { fake, auth, tap, answer } = setup()
    const events = blockedEvents(auth)
    fake.control.setSubscribeAnswers({ t2: 'reject' })
    const p = tap(() => auth.requestSubscribe(['t1', 't2']))
    const d = await answer('subscribe', 'confirm')
    expect(d.detail).toEqual({ tmplIds: ['t1', 't2'] })
    await expect(p).resolves.toEqual({ t1: 'accept', t2: 'reject' })
    expect(auth.store.subscriptions).toEqual({ t1: 'accept', t2: 'reject' })
    // a reject in the panel is the user's answer this time: the button can simply ask again
    expect(auth.store.reprompt).toBeNull()
    expect(events).toEqual([])
  })

  it('closing the panel rejects every template, without a settings offer', async () => {
    const { auth, tap, answer } = setup()
    const p = tap(() => auth.requestSubscribe(['t1']))
    await answer('subscribe', 'cancel')
    await expect(p).resolves.toEqual({ t1: 'reject' })
    expect(auth.store.reprompt).toBeNull()
  })

  it('ban (a back-end ban): in the result and an event for the developer, no prompt to the user', async () => {
    const { fake, auth, tap, answer, opened } = setup()
    const events = blockedEvents(auth)
    fake.control.banTemplate('t3')
    const p = tap(() => auth.requestSubscribe(['t1', 't3'], { reason: '接收订单状态通知' }))
    await answer('subscribe', 'confirm')
    await expect(p).resolves.toEqual({ t1: 'accept', t3: 'ban' })
    expect(opened('subscribe')[0]!.detail).toEqual({ tmplIds: ['t1'] })
    expect(events).toEqual([{ type: 'subscribe:blocked', banned: ['t3'], filtered: [] }])
    expect(auth.store.reprompt).toBeNull()
    expect(opened('settings')).toHaveLength(0)
    expect(auth.store.lastError).toBeNull()
  })

  it('filter (same title twice in one call): in the result and the event, no prompt', async () => {
    const { fake, auth, tap, answer } = setup()
    const events = blockedEvents(auth)
    fake.control.setTemplateTitle('t1', '订单状态通知')
    fake.control.setTemplateTitle('t9', '订单状态通知')
    const p = tap(() => auth.requestSubscribe(['t1', 't9']))
    await answer('subscribe', 'confirm')
    await expect(p).resolves.toEqual({ t1: 'accept', t9: 'filter' })
    expect(events).toEqual([{ type: 'subscribe:blocked', banned: [], filtered: ['t9'] }])
    expect(auth.store.reprompt).toBeNull()
  })

  it('a permanent reject (itemSettings) answers at once and offers settings, which can undo it', async () => {
    const { fake, auth, tap, dialog, answer, opened } = setup()
    fake.control.setSubscription('t1', 'reject')
    const p = tap(() => auth.requestSubscribe(['t1', 't2'], { reason: '接收订单状态通知' }))
    await answer('subscribe', 'confirm') // t2 is still asked
    await expect(p).resolves.toEqual({ t1: 'reject', t2: 'accept' })
    expect(opened('subscribe')[0]!.detail).toEqual({ tmplIds: ['t2'] })
    expect(auth.store.reprompt).toEqual({ scope: 'subscribe:t1', reason: '接收订单状态通知' })
    // the auth-sheet's openSetting button: the user switches the template back on
    const detail = fake.control.tapOpenSettingButton()
    await dialog('settings')
    fake.control.setSubscription('t1', 'accept')
    await answer('settings', 'confirm')
    auth.resolveReprompt(await detail)
    expect(auth.store.reprompt).toBeNull()
    expect(auth.store.subscriptions.t1).toBe('accept')
  })

  it('a reject made permanent in this very panel is not nagged about', async () => {
    const { fake, auth, tap, answer } = setup()
    fake.control.setSubscribeKeepChoice(true)
    const p = tap(() => auth.requestSubscribe(['t1']))
    await answer('subscribe', 'cancel')
    await expect(p).resolves.toEqual({ t1: 'reject' })
    expect(auth.store.reprompt).toBeNull()
    // the next tap meets the permanent reject: now the way back is offered
    await expect(tap(() => auth.requestSubscribe(['t1']))).resolves.toEqual({ t1: 'reject' })
    expect(auth.store.reprompt?.scope).toBe('subscribe:t1')
  })

  it('a settings detail without subscription settings makes the kit re-read them', async () => {
    const { fake, auth, tap } = setup()
    fake.control.setSubscription('t3', 'reject')
    await tap(() => auth.requestSubscribe(['t3']))
    expect(auth.store.reprompt).not.toBeNull()
    fake.control.setSubscription('t3', 'accept')
    auth.resolveReprompt({ authSetting: {} })
    await flushMicrotasks()
    expect(auth.store.subscriptions.t3).toBe('accept')
  })

  it('errCode 20004 (main switch off) -> subscribe_off, and settings are offered', async () => {
    const { fake, auth, tap, opened } = setup()
    fake.control.setSubscriptionMainSwitch(false)
    const e = await rejection(tap(() => auth.requestSubscribe(['t1'], { reason: '订单通知' })))
    expect(e.code).toBe('subscribe_off')
    expect(e.cause).toMatchObject({ errCode: 20004 })
    expect(auth.store.lastError?.code).toBe('subscribe_off')
    expect(auth.store.reprompt).toEqual({ scope: 'subscribe:t1', reason: '订单通知' })
    expect(opened('subscribe')).toHaveLength(0)
  })

  it('more than 5 ids (errCode 20003) and an empty list (10001) -> invalid_input, no settings', async () => {
    const { auth, tap } = setup()
    const six = ['a', 'b', 'c', 'd', 'e', 'f']
    const tooMany = await rejection(tap(() => auth.requestSubscribe(six)))
    expect(tooMany.code).toBe('invalid_input')
    expect(tooMany.cause).toMatchObject({ errCode: 20003 })
    expect((await rejection(tap(() => auth.requestSubscribe([])))).code).toBe('invalid_input')
    expect(auth.store.reprompt).toBeNull()
  })

  it.each([
    [20001, 'subscribe_unavailable'],
    [20002, 'subscribe_unavailable'],
    [20005, 'subscribe_unavailable'],
    [10005, 'subscribe_unavailable'],
    [10002, 'network'],
    [10003, 'network'],
  ] as const)(
    'errCode %i -> %s, never a user refusal or a settings offer',
    async (errCode, code) => {
      const { fake, auth, tap } = setup()
      fake.control.failSubscribe(errCode)
      const e = await rejection(tap(() => auth.requestSubscribe(['t1'])))
      expect(e.code).toBe(code)
      expect(e.cause).toMatchObject({ errCode })
      expect(auth.store.reprompt).toBeNull()
    },
  )

  it('gesture rule: after an await -> gesture_required, no panel', async () => {
    const { auth, tap, opened } = setup()
    const p = tap(async () => {
      await Promise.resolve()
      return auth.requestSubscribe(['t1'])
    })
    expect((await rejection(p)).code).toBe('gesture_required')
    expect(opened('subscribe')).toHaveLength(0)
  })

  it('refreshScopes reads the permanent subscription choices', async () => {
    const { fake, auth } = setup()
    fake.control.setSubscription('t5', 'reject')
    await auth.refreshScopes()
    expect(auth.store.subscriptions).toEqual({ t5: 'reject' })
  })
})
