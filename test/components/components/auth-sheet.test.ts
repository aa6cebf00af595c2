// auth-sheet on miniprogram-simulate, bound to a test double of the kit's surface that owns the
// kit's own observable store (helpers/fake-auth).
import { createFakeAuth } from '../helpers/fake-auth'
import { flush, loadComponent, mount as mountId, text } from '../helpers/simulate'
import type { Reprompt } from 'wx-login-kit/types'

const mockAuth = createFakeAuth()
// The components reach the kit through getAuth(): it returns the double.
jest.mock('wx-login-kit/current', () => ({ getAuth: () => mockAuth }))

let id: string

const setReprompt = (r: Reprompt | null): void => mockAuth.store.setReprompt(r)

const mount = () => mountId(id)

beforeAll(() => {
  id = loadComponent('auth-sheet')
})

beforeEach(() => {
  setReprompt(null)
  mockAuth.resolveReprompt.mockClear()
})

describe('auth-sheet', () => {
  test('hidden while store.reprompt is null', async () => {
    const comp = mount()
    await flush()
    expect(comp.querySelector('.auth-sheet')).toBeUndefined()
    expect(comp.querySelector('#open-setting-btn')).toBeUndefined()
    comp.detach()
  })

  test('shows the reason and the scope name from the store', async () => {
    setReprompt({ scope: 'scope.userLocation', reason: '用于选择外卖配送地址' })
    const comp = mount()
    await flush()
    expect(text(comp, '.auth-sheet__title')).toBe('需要你的位置信息权限')
    expect(text(comp, '.auth-sheet__reason')).toBe('用于选择外卖配送地址')
    expect(text(comp, '.auth-sheet__hint')).toContain('位置信息')
    expect(text(comp, '#open-setting-btn')).toBe('去设置')
    expect(text(comp, '#dismiss-btn')).toBe('暂不')
    comp.detach()
  })

  test.each([
    ['scope.writePhotosAlbum', '相册'],
    ['scope.camera', '摄像头'],
    ['scope.record', '麦克风'],
    ['scope.unknownThing', '相关权限'],
  ])('names %s as %s', async (scope, label) => {
    setReprompt({ scope, reason: '原因' })
    const comp = mount()
    await flush()
    expect(text(comp, '.auth-sheet__title')).toBe(`需要你的${label}权限`)
    comp.detach()
  })

  test('follows the store: appears, changes and disappears', async () => {
    const comp = mount()
    await flush()
    expect(comp.querySelector('.auth-sheet')).toBeUndefined()

    setReprompt({ scope: 'scope.camera', reason: '扫码点餐需要使用摄像头' })
    await flush()
    expect(text(comp, '.auth-sheet__reason')).toBe('扫码点餐需要使用摄像头')
    expect(text(comp, '.auth-sheet__title')).toBe('需要你的摄像头权限')

    setReprompt({ scope: 'scope.writePhotosAlbum', reason: '保存小票到相册' })
    await flush()
    expect(text(comp, '.auth-sheet__reason')).toBe('保存小票到相册')
    expect(text(comp, '.auth-sheet__title')).toBe('需要你的相册权限')

    setReprompt(null)
    await flush()
    expect(comp.querySelector('.auth-sheet')).toBeUndefined()
    comp.detach()
  })

  test('opensetting passes the settings answer to auth.resolveReprompt', async () => {
    setReprompt({ scope: 'scope.userLocation', reason: '用于选择外卖配送地址' })
    const comp = mount()
    await flush()
    comp.querySelector('#open-setting-btn')!.dispatchEvent('opensetting', {
      detail: {
        errMsg: 'openSetting:ok',
        authSetting: { 'scope.userLocation': true, 'scope.camera': false },
      },
    })
    await flush()
    expect(mockAuth.resolveReprompt).toHaveBeenCalledTimes(1)
    expect(mockAuth.resolveReprompt).toHaveBeenCalledWith({
      authSetting: { 'scope.userLocation': true, 'scope.camera': false },
    })
    // The kit cleared store.reprompt: the sheet closes.
    expect(comp.querySelector('.auth-sheet')).toBeUndefined()
    comp.detach()
  })

  test('coming back with the scope still off is passed on as it is', async () => {
    setReprompt({ scope: 'scope.userLocation', reason: '用于选择外卖配送地址' })
    const comp = mount()
    await flush()
    comp.querySelector('#open-setting-btn')!.dispatchEvent('opensetting', {
      detail: { errMsg: 'openSetting:ok', authSetting: { 'scope.userLocation': false } },
    })
    await flush()
    expect(mockAuth.resolveReprompt).toHaveBeenCalledWith({
      authSetting: { 'scope.userLocation': false },
    })
    comp.detach()
  })

  test('a subscription re-prompt names 订阅消息 and how to turn it back on', async () => {
    setReprompt({ scope: 'subscribe:tmpl-1', reason: '订单状态变化时通知你' })
    const comp = mount()
    await flush()
    expect(text(comp, '.auth-sheet__title')).toBe('需要你的订阅消息权限')
    expect(text(comp, '.auth-sheet__reason')).toBe('订单状态变化时通知你')
    expect(text(comp, '.auth-sheet__hint')).toContain('请在设置中开启“订阅消息”')
    expect(text(comp, '.auth-sheet__hint')).not.toContain('拒绝了授权')
    comp.detach()
  })

  test('the subscription settings WeChat returns from settings are passed on to the kit', async () => {
    setReprompt({ scope: 'subscribe:tmpl-1', reason: '订单通知' })
    const comp = mount()
    await flush()
    const subscriptionsSetting = { mainSwitch: true, itemSettings: { 'tmpl-1': 'accept' } }
    comp.querySelector('#open-setting-btn')!.dispatchEvent('opensetting', {
      detail: { errMsg: 'openSetting:ok', authSetting: {}, subscriptionsSetting },
    })
    await flush()
    expect(mockAuth.resolveReprompt).toHaveBeenCalledWith({ authSetting: {}, subscriptionsSetting })
    comp.detach()
  })

  test('暂不 dismisses with null', async () => {
    setReprompt({ scope: 'scope.camera', reason: '扫码点餐需要使用摄像头' })
    const comp = mount()
    await flush()
    comp.querySelector('#dismiss-btn')!.dispatchEvent('tap')
    await flush()
    expect(mockAuth.resolveReprompt).toHaveBeenCalledTimes(1)
    expect(mockAuth.resolveReprompt).toHaveBeenCalledWith(null)
    expect(comp.querySelector('.auth-sheet')).toBeUndefined()
    comp.detach()
  })

  test('a tap on the mask dismisses too', async () => {
    setReprompt({ scope: 'scope.camera', reason: '扫码点餐需要使用摄像头' })
    const comp = mount()
    await flush()
    comp.querySelector('#auth-sheet-mask')!.dispatchEvent('tap')
    await flush()
    expect(mockAuth.resolveReprompt).toHaveBeenCalledWith(null)
    comp.detach()
  })

  test('several sheets on several pages all follow the one store', async () => {
    const a = mount()
    const b = mount()
    setReprompt({ scope: 'scope.record', reason: '语音备注需要使用麦克风' })
    await flush()
    expect(text(a, '.auth-sheet__title')).toBe('需要你的麦克风权限')
    expect(text(b, '.auth-sheet__title')).toBe('需要你的麦克风权限')
    a.detach()
    setReprompt({ scope: 'scope.camera', reason: '扫码' })
    await flush()
    expect(text(b, '.auth-sheet__title')).toBe('需要你的摄像头权限')
    b.detach()
  })
})
