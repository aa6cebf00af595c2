// Steps several journeys share, in the app's own words (selectors of the demo app's pages).
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import type Page from 'miniprogram-automator/out/Page'
import { check, element, pageAt } from './wait'

export const ADDRESS = '上海市徐汇区漕溪北路 88 号 2 楼'

/** What chooseLocation answers in every journey (DevTools would open a map otherwise). */
export const PICKED_PLACE = {
  errMsg: 'chooseLocation:ok',
  name: '漕河泾开发区',
  address: '上海市徐汇区宜山路 900 号',
  latitude: 31.17,
  longitude: 121.4,
}

/** From the menu: `count` of the first dish into the cart, then the checkout page. */
export async function openCheckoutWithDish(mp: MiniProgram, count = 1): Promise<Page> {
  const menu = await pageAt(mp, 'pages/menu/index')
  await element(menu, '#menu-list')
  for (let i = 0; i < count; i++) await (await element(menu, '.stepper-plus')).tap()
  check(
    (await (await element(menu, '#cart-badge')).text()) === String(count),
    `${count} in the cart`,
  )
  await (await element(menu, '#checkout-btn')).tap()
  return pageAt(mp, 'pages/checkout/index')
}

/** Types the delivery address by hand (the checkout's manual mode). */
export async function typeAddress(page: Page, text = ADDRESS): Promise<void> {
  const links = await page.$$('#type-address')
  if (links.length > 0) await links[0]!.tap()
  const input = (await element(page, '#address-input')) as unknown as {
    input(v: string): Promise<void>
  }
  await input.input(text)
}

/** Submits the order and waits for the checkout's success card (or the order page). */
export async function submitOrder(mp: MiniProgram, page: Page): Promise<string> {
  await (await element(page, '#submit-order')).tap()
  return Promise.race([
    element(page, '#order-success', 15_000).then(() => 'success-card'),
    pageAt(mp, 'pages/order-detail/index', 15_000).then(() => 'detail-page'),
  ])
}

/** Logs in from the 我的 tab (its 登录 button) and waits until the page shows the user. */
export async function loginFromMe(mp: MiniProgram): Promise<Page> {
  await mp.switchTab('/pages/me/index')
  const me = await pageAt(mp, 'pages/me/index')
  await (await element(me, '#login-btn')).tap()
  await element(me, '#me-user', 15_000)
  return me
}

/** Opens the 订单 tab and answers how many orders it lists (it must list at least one). */
export async function countOrders(mp: MiniProgram): Promise<number> {
  await mp.switchTab('/pages/orders/index')
  const orders = await pageAt(mp, 'pages/orders/index')
  await element(orders, '#orders-list', 15_000)
  return (await orders.$$('.order')).length
}
