import { rejection, setup } from './setup'

describe('bindPhone', () => {
  it('success: the button code goes to POST /me/phone, the masked phone lands in the store', async () => {
    const { fake, auth, server, answer } = setup()
    const tapped = fake.control.tapPhoneButton()
    await answer('phone', 'confirm')
    const detail = await tapped
    expect(detail).toMatchObject({ code: 'phone-code-1', errMsg: 'getPhoneNumber:ok' })
    const user = await auth.bindPhone(detail)
    expect(server.calls).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/me/phone',
        data: { code: 'phone-code-1' },
      }),
    ])
    expect(user.phone).toBe('138****8000')
    expect(auth.store.user?.phone).toBe('138****8000')
  })

  it('deny -> phone_denied, and the next tap may retry', async () => {
    const { fake, auth, answer } = setup()
    const t1 = fake.control.tapPhoneButton()
    await answer('phone', 'cancel')
    const d1 = await t1
    expect(d1).toEqual({ errMsg: 'getPhoneNumber:fail user deny' })
    const e = await rejection(auth.bindPhone(d1))
    expect(e.code).toBe('phone_denied')
    expect(e.message).toMatch(/refused/)
    expect(auth.store.lastError).toEqual({ code: 'phone_denied', message: e.message })
    const t2 = fake.control.tapPhoneButton()
    await answer('phone', 'confirm')
    await expect(auth.bindPhone(await t2)).resolves.toMatchObject({ phone: '138****8000' })
  })

  it.each([
    ['getPhoneNumber:fail:user deny', 'phone_denied'],
    ['getPhoneNumber:fail user cancel', 'phone_cancelled'],
    ['getPhoneNumber:fail:user cancel', 'phone_cancelled'],
  ])('%s -> %s (matched by substring)', async (errMsg, code) => {
    const { fake, auth, server, answer } = setup()
    fake.control.setPhoneDismissal(errMsg)
    const t = fake.control.tapPhoneButton()
    await answer('phone', 'cancel')
    expect((await rejection(auth.bindPhone(await t))).code).toBe(code)
    expect(server.calls).toHaveLength(0)
  })

  it('quota exhausted (errno 1400001) -> phone_quota, checked at the tap without a popup', async () => {
    const { fake, auth, opened } = setup()
    fake.control.setPhoneQuota(0)
    const detail = await fake.control.tapPhoneButton()
    expect(detail).toMatchObject({ errno: 1400001 })
    expect(opened('phone')).toHaveLength(0)
    const e = await rejection(auth.bindPhone(detail))
    expect(e.code).toBe('phone_quota')
    expect(e.message).toContain('1400001')
    expect(auth.store.lastError?.code).toBe('phone_quota')
  })
})
