// The fake wx extensions on their own: the platform rules the flows rely on.
import { createFakeWx } from '../../../packages/headless/wx'
import { flushMicrotasks } from '../../../packages/headless/wx/clock'
import { runAsTap } from '../../../packages/headless/wx/gesture'
import type { DialogKind } from '../../../packages/headless/wx/dialogs'

function make() {
  const fake = createFakeWx()
  const { wx, control } = fake
  const answer = async (kind: DialogKind, a: 'confirm' | 'cancel') => {
    await flushMicrotasks()
    expect(control.dialogs.answer(a, [kind])).toBe(true)
  }
  return { wx, control, answer }
}

describe('gesture', () => {
  it('is active for the synchronous part of the tap only, and nests', async () => {
    const { control } = make()
    expect(control.inTap).toBe(false)
    const seen: boolean[] = []
    await control.runAsTap(async () => {
      seen.push(control.inTap)
      control.runAsTap(() => seen.push(control.inTap))
      seen.push(control.inTap)
      await Promise.resolve()
      seen.push(control.inTap)
    })
    expect(seen).toEqual([true, true, true, false])
    expect(runAsTap(control.ctx, () => control.inTap)).toBe(true)
  })
})

describe('settings', () => {
  it('getSetting: only asked scopes; subscriptionsSetting only withSubscriptions', async () => {
    const { wx, control } = make()
    control.setScope('scope.camera', false)
    control.setSubscription('t1', 'accept')
    await expect(wx.getSetting({})).resolves.toEqual({
      errMsg: 'getSetting:ok',
      authSetting: { 'scope.camera': false },
    })
    await expect(wx.getSetting({ withSubscriptions: true })).resolves.toMatchObject({
      subscriptionsSetting: { mainSwitch: true, itemSettings: { t1: 'accept' } },
    })
  })

  it('authorize: withdrawn scopes (userInfo, address) succeed without a popup', async () => {
    const { wx, control } = make()
    await expect(wx.authorize({ scope: 'scope.userInfo' })).resolves.toEqual({
      errMsg: 'authorize:ok',
    })
    expect(control.dialogs.history).toHaveLength(0)
    expect(control.authSetting['scope.userInfo']).toBe(true)
  })

  it('callback style works too (success/fail, no Promise returned)', async () => {
    const { wx, control } = make()
    control.setScope('scope.record', false)
    const fail = jest.fn()
    expect(wx.authorize({ scope: 'scope.record', fail })).toBeUndefined()
    await flushMicrotasks()
    expect(fail).toHaveBeenCalledWith({ errMsg: 'authorize:fail auth deny' })
  })
})

describe('location', () => {
  it('unasked: authorize popup; refusal -> getLocation:fail auth deny, then at once', async () => {
    const { wx, control, answer } = make()
    const p = wx.getLocation({})!
    await answer('authorize', 'cancel')
    await expect(p).rejects.toEqual({ errMsg: 'getLocation:fail auth deny' })
    await expect(wx.chooseLocation({})).rejects.toEqual({ errMsg: 'chooseLocation:fail auth deny' })
    expect(control.dialogs.history).toHaveLength(1)
  })

  it('granted: location; chooseLocation opens the picker', async () => {
    const { wx, control, answer } = make()
    control.setScope('scope.userLocation', true)
    control.setLocation({ latitude: 1, longitude: 2 })
    await expect(wx.getLocation({})).resolves.toMatchObject({ latitude: 1, longitude: 2 })
    const p = wx.chooseLocation({})!
    await answer('location', 'cancel')
    await expect(p).rejects.toEqual({ errMsg: 'chooseLocation:fail cancel' })
  })
})

describe('privacy', () => {
  it('no listener: the official popup; a refusal blocks calls for 10 s without a popup', async () => {
    const { wx, control, answer } = make()
    control.setPrivacy({ needAuthorization: true })
    await expect(wx.getPrivacySetting({})).resolves.toMatchObject({ needAuthorization: true })
    const p = wx.requirePrivacyAuthorize({})!
    await answer('privacy', 'cancel')
    await expect(p).rejects.toEqual({
      errMsg: 'requirePrivacyAuthorize:fail privacy permission is not authorized',
      errno: 104,
    })
    await expect(wx.requirePrivacyAuthorize({})).rejects.toMatchObject({ errno: 104 })
    expect(control.dialogs.history).toHaveLength(1)
    await control.clock.advance(10_000)
    const q = wx.requirePrivacyAuthorize({})!
    await answer('privacy', 'confirm')
    await expect(q).resolves.toEqual({ errMsg: 'requirePrivacyAuthorize:ok' })
    await expect(wx.getPrivacySetting({})).resolves.toMatchObject({ needAuthorization: false })
  })

  it('onNeedPrivacyAuthorization is overwrite-style; exposure reports do not settle', async () => {
    const { wx, control } = make()
    control.setPrivacy({ needAuthorization: true })
    const first = jest.fn()
    wx.onNeedPrivacyAuthorization(first)
    let resolve:
      ((r: { event: 'exposureAuthorization' } | { event: 'disagree' }) => void) | undefined
    wx.onNeedPrivacyAuthorization((r) => (resolve = r))
    const p = wx.requirePrivacyAuthorize({})!
    await flushMicrotasks()
    expect(first).not.toHaveBeenCalled()
    resolve!({ event: 'exposureAuthorization' })
    await flushMicrotasks()
    resolve!({ event: 'disagree' })
    await expect(p).rejects.toMatchObject({ errno: 104 })
  })
})

describe('getUserProfile', () => {
  it('tap only; desc 1-30 chars; default payload is anonymous', async () => {
    const { wx, control, answer } = make()
    await expect(wx.getUserProfile({ desc: 'x' })).rejects.toEqual({
      errMsg: 'getUserProfile:fail can only be invoked by user TAP gesture.',
    })
    await expect(control.runAsTap(() => wx.getUserProfile({ desc: '' }))).rejects.toEqual({
      errMsg: 'getUserProfile:fail desc length does not meet the requirements',
    })
    const p = control.runAsTap(() => wx.getUserProfile({ desc: '完善资料' }))!
    await answer('profile', 'confirm')
    const r = await p
    expect(r.userInfo.nickName).toBe('微信用户')
    expect(JSON.parse(r.rawData)).toMatchObject({ is_demote: true })
    expect(r.errMsg).toBe('getUserProfile:ok')
  })
})

describe('upload', () => {
  it('returns an UploadTask; unknown files and timeouts fail; abort fails', async () => {
    const { wx, control } = make()
    const fail = jest.fn()
    const task = wx.uploadFile({
      url: 'https://x/u',
      filePath: 'wxfile://nope',
      name: 'file',
      fail,
    })
    expect(typeof task.abort).toBe('function')
    await flushMicrotasks()
    expect(fail).toHaveBeenCalledWith({ errMsg: 'uploadFile:fail file not found: wxfile://nope' })

    control.setUploadHandler(() => new Promise(() => undefined))
    const path = control.addTempFile()
    const fail2 = jest.fn()
    wx.uploadFile({ url: 'https://x/u', filePath: path, name: 'file', timeout: 1000, fail: fail2 })
    await control.clock.advance(1000)
    expect(fail2).toHaveBeenCalledWith({ errMsg: 'uploadFile:fail timeout' })

    const fail3 = jest.fn()
    wx.uploadFile({ url: 'https://x/u', filePath: path, name: 'file', fail: fail3 }).abort()
    await flushMicrotasks()
    expect(fail3).toHaveBeenCalledWith({ errMsg: 'uploadFile:fail abort' })
  })

  it('any HTTP status succeeds, data is a string, formData and header reach the handler', async () => {
    const { wx, control } = make()
    const seen: unknown[] = []
    control.setUploadHandler((u) => {
      seen.push({
        name: u.name,
        formData: u.formData,
        auth: u.header.Authorization,
        bytes: u.file.length,
      })
      return { statusCode: 500, data: { error: 'x' } }
    })
    const success = jest.fn()
    wx.uploadFile({
      url: 'https://x/u',
      filePath: control.addTempFile(new Uint8Array([1, 2, 3])),
      name: 'file',
      header: { Authorization: 'Bearer t' },
      formData: { a: 1 },
      success,
    })
    await flushMicrotasks()
    expect(success).toHaveBeenCalledWith({
      statusCode: 500,
      data: '{"error":"x"}',
      errMsg: 'uploadFile:ok',
    })
    expect(seen).toEqual([{ name: 'file', formData: { a: '1' }, auth: 'Bearer t', bytes: 3 }])
  })
})

describe('requestSubscribeMessage (platform doc §6)', () => {
  const ask = (c: ReturnType<typeof make>, tmplIds: string[]) =>
    c.control.runAsTap(() => c.wx.requestSubscribeMessage({ tmplIds }))!

  it('failures carry errCode (not errno): no ids 10001, more than 5 ids 20003', async () => {
    const c = make()
    await expect(ask(c, [])).rejects.toEqual({
      errMsg: "requestSubscribeMessage:fail TmplIds can't be empty",
      errCode: 10001,
    })
    await expect(ask(c, ['a', 'b', 'c', 'd', 'e', 'f'])).rejects.toEqual({
      errMsg: 'requestSubscribeMessage:fail Templates count out of max bounds',
      errCode: 20003,
    })
    expect(c.control.dialogs.history).toHaveLength(0)
    // five is allowed: one panel for all of them
    const p = ask(c, ['a', 'b', 'c', 'd', 'e'])
    await c.answer('subscribe', 'confirm')
    await expect(p).resolves.toEqual({
      errMsg: 'requestSubscribeMessage:ok',
      a: 'accept',
      b: 'accept',
      c: 'accept',
      d: 'accept',
      e: 'accept',
    })
  })

  it('the main switch off fails with errCode 20004, before any panel', async () => {
    const c = make()
    c.control.setSubscriptionMainSwitch(false)
    await expect(ask(c, ['a'])).rejects.toEqual({
      errMsg: 'requestSubscribeMessage:fail The main switch is switched off',
      errCode: 20004,
    })
    expect(c.control.dialogs.history).toHaveLength(0)
  })

  it('outside a tap: the gesture failure, no panel', async () => {
    const c = make()
    await expect(c.wx.requestSubscribeMessage({ tmplIds: ['a'] })).rejects.toMatchObject({
      errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.',
    })
    expect(c.control.dialogs.history).toHaveLength(0)
  })

  it('WeChat learns of each accept (the reporter) before the call resolves; not of rejects', async () => {
    const c = make()
    const reported: string[] = []
    c.control.setSubscribeAcceptReporter(async (id) => {
      reported.push(id)
    })
    c.control.setSubscribeAnswers({ b: 'reject' })
    const p = ask(c, ['a', 'b'])
    await c.answer('subscribe', 'confirm')
    await expect(p).resolves.toMatchObject({ a: 'accept', b: 'reject' })
    expect(reported).toEqual(['a'])
    // A failing reporter does not fail the call.
    c.control.setSubscribeAcceptReporter(() => Promise.reject(new Error('down')))
    const q = ask(c, ['a'])
    await c.answer('subscribe', 'confirm')
    await expect(q).resolves.toMatchObject({ a: 'accept' })
  })

  it('a panel answer is not written to itemSettings unless the user keeps the choice', async () => {
    const c = make()
    c.control.setSubscribeAnswers({ b: 'reject' })
    const p = ask(c, ['a', 'b'])
    await c.answer('subscribe', 'confirm')
    await expect(p).resolves.toMatchObject({ a: 'accept', b: 'reject' })
    expect(c.control.subscriptionsSetting.itemSettings).toEqual({})
    // the next call asks again
    const q = ask(c, ['b'])
    await c.answer('subscribe', 'cancel')
    await expect(q).resolves.toMatchObject({ b: 'reject' })
    expect(c.control.dialogs.history.filter((d) => d.kind === 'subscribe')).toHaveLength(2)
  })

  it('a kept choice goes to itemSettings; a permanent reject answers at once, with no panel', async () => {
    const c = make()
    c.control.setSubscribeKeepChoice(true)
    const p = ask(c, ['a'])
    await c.answer('subscribe', 'cancel')
    await expect(p).resolves.toMatchObject({ a: 'reject' })
    await expect(c.wx.getSetting({ withSubscriptions: true })).resolves.toMatchObject({
      subscriptionsSetting: { mainSwitch: true, itemSettings: { a: 'reject' } },
    })
    await expect(ask(c, ['a'])).resolves.toEqual({
      errMsg: 'requestSubscribeMessage:ok',
      a: 'reject',
    })
    expect(c.control.dialogs.history).toHaveLength(1)
    // a permanent accept is answered at once too
    c.control.setSubscription('a', 'accept')
    await expect(ask(c, ['a'])).resolves.toMatchObject({ a: 'accept' })
    expect(c.control.dialogs.history).toHaveLength(1)
  })

  it('ban: a back-end ban answers ban without a panel and never shows in itemSettings', async () => {
    const c = make()
    c.control.banTemplate('x')
    const p = ask(c, ['x', 'a'])
    await flushMicrotasks()
    expect(c.control.dialogs.pending()[0]!.detail).toEqual({ tmplIds: ['a'] })
    c.control.dialogs.answer('confirm')
    await expect(p).resolves.toMatchObject({ x: 'ban', a: 'accept' })
    expect(c.control.subscriptionsSetting.itemSettings).toEqual({})
  })

  it('filter: a template with the same title as an earlier one in the call', async () => {
    const c = make()
    c.control.setTemplateTitle('t1', '订单状态通知')
    c.control.setTemplateTitle('t2', '订单状态通知')
    c.control.setTemplateTitle('t3', '配送提醒')
    const p = ask(c, ['t1', 't2', 't3'])
    await flushMicrotasks()
    expect(c.control.dialogs.pending()[0]!.detail).toEqual({ tmplIds: ['t1', 't3'] })
    c.control.dialogs.answer('confirm')
    await expect(p).resolves.toMatchObject({ t1: 'accept', t2: 'filter', t3: 'accept' })
    // alone, the same template is not filtered
    const q = ask(c, ['t2'])
    await c.answer('subscribe', 'confirm')
    await expect(q).resolves.toMatchObject({ t2: 'accept' })
  })

  it('a scripted failure answers with its documented errCode until cleared', async () => {
    const c = make()
    c.control.failSubscribe(20001)
    await expect(ask(c, ['a'])).rejects.toEqual({
      errMsg: 'requestSubscribeMessage:fail No template data return, verify the template id exist',
      errCode: 20001,
    })
    c.control.failSubscribe(null)
    const p = ask(c, ['a'])
    await c.answer('subscribe', 'confirm')
    await expect(p).resolves.toMatchObject({ a: 'accept' })
  })
})

describe('privacy declarations and the official popup (platform doc §7)', () => {
  it('an API missing from the privacy guide fails with errno 112, even once agreed, no popup', async () => {
    const { wx, control } = make()
    control.setUndeclaredPrivacyApis(['getLocation'])
    control.setScope('scope.userLocation', true)
    await expect(wx.getLocation({})).rejects.toEqual({
      errMsg: 'getLocation:fail api scope is not declared in the privacy agreement',
      errno: 112,
    })
    control.setPrivacy({ needAuthorization: true })
    await expect(wx.getLocation({})).rejects.toMatchObject({ errno: 112 })
    expect(control.dialogs.history).toHaveLength(0)
    // a declared API still goes through the privacy gate
    const p = wx.requirePrivacyAuthorize({})!
    await flushMicrotasks()
    expect(control.officialPrivacyPopups).toBe(1)
    control.dialogs.answer('confirm')
    await expect(p).resolves.toMatchObject({ errMsg: 'requirePrivacyAuthorize:ok' })
  })

  it('offNeedPrivacyAuthorization removes the listener: the official popup shows again', async () => {
    const { wx, control } = make()
    control.setPrivacy({ needAuthorization: true })
    const listener = jest.fn()
    wx.onNeedPrivacyAuthorization(listener)
    wx.offNeedPrivacyAuthorization!(() => undefined) // another function: nothing removed
    expect(control.hasPrivacyListener).toBe(true)
    wx.offNeedPrivacyAuthorization!(listener)
    expect(control.hasPrivacyListener).toBe(false)
    const p = wx.requirePrivacyAuthorize({})!
    await flushMicrotasks()
    expect(listener).not.toHaveBeenCalled()
    expect(control.officialPrivacyPopups).toBe(1)
    control.dialogs.answer('cancel')
    await expect(p).rejects.toMatchObject({ errno: 104 })
  })

  it('a base library without offNeedPrivacyAuthorization is scriptable', () => {
    const { wx, control } = make()
    expect(typeof wx.offNeedPrivacyAuthorization).toBe('function')
    control.setPrivacyOffSupported(false)
    expect(wx.offNeedPrivacyAuthorization).toBeUndefined()
  })
})

describe('modal and toast', () => {
  it('showModal waits for confirm/cancel; toasts hide after their duration', async () => {
    const { wx, control, answer } = make()
    const p = wx.showModal({ title: '提示', content: '确定吗？' })!
    await answer('modal', 'cancel')
    await expect(p).resolves.toEqual({ errMsg: 'showModal:ok', confirm: false, cancel: true })
    expect(control.dialogs.history[0]!.detail).toMatchObject({ title: '提示', content: '确定吗？' })
    await wx.showToast({ title: '已保存' })
    expect(control.toast).toEqual({ title: '已保存', icon: 'success', mask: false })
    await control.clock.advance(1500)
    expect(control.toast).toBeNull()
    await wx.showLoading({ title: '加载中' })
    expect(control.loading).toEqual({ title: '加载中', mask: false })
    await wx.hideLoading({})
    expect(control.loading).toBeNull()
  })
})
