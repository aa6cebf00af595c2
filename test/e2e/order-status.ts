// Orders that move: the user orders and subscribes (accept); the merchant accepts the order in
// the console, in a real headless Chromium; the simulated WeChat shows exactly one delivered
// message whose page opens that order; the app shows the new status. A second change, with no
// new accept, sends nothing, and the app shows that status too.
import { chromium, type Browser, type Page as BrowserPage } from 'playwright-core'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import { resolveExecutable } from '../../packages/headless/runtime/layout/browser'
import { screenshot } from './lib/artifacts'
import { openCheckoutWithDish, submitOrder, typeAddress } from './lib/app'
import { type Journey, runIfMain } from './lib/journey'
import { serverOrigin, storedToken } from './lib/server'
import { freshAccount, launchApp } from './lib/target'
import { check, element, pageAt, sleep, until } from './lib/wait'

const name = 'order-status'
/** `npm start` and `npm run e2e` run the server outside production: the printed default. */
const CONSOLE_PASSWORD = process.env.CONSOLE_PASSWORD ?? 'console-dev-password'

interface SimMessage {
  templateId: string
  page: string | null
  data: Record<string, string>
}

async function deliveredTo(openid: string): Promise<SimMessage[]> {
  const res = await fetch(`${serverOrigin()}/__sim/messages?openid=${encodeURIComponent(openid)}`)
  if (!res.ok) throw new Error(`/__sim/messages: HTTP ${res.status}`)
  return ((await res.json()) as { messages: SimMessage[] }).messages
}

async function credits(token: string): Promise<number> {
  const res = await fetch(`${serverOrigin()}/me/subscriptions`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (!res.ok) throw new Error(`GET /me/subscriptions: HTTP ${res.status}`)
  return ((await res.json()) as { credits: number }).credits
}

async function consoleSignedIn(browser: Browser): Promise<BrowserPage> {
  const page = await browser.newPage()
  await page.goto(`${serverOrigin()}/console/`)
  await page.fill('#password', CONSOLE_PASSWORD)
  await page.click('#sign-in button[type=submit]')
  await page.waitForSelector('#board:not([hidden])')
  return page
}

/** The merchant taps the order's next-status button and the console shows `label`. */
async function moveInConsole(page: BrowserPage, orderId: string, label: string): Promise<void> {
  const row = page.locator(`tr[data-order-id="${orderId}"]`)
  await row.waitFor({ timeout: 10_000 })
  await row.locator('button.next').click()
  await page.waitForFunction(
    ([id, text]) =>
      document.querySelector(`tr[data-order-id="${id}"] .status`)?.textContent === text,
    [orderId, label] as const,
    { timeout: 10_000 },
  )
}

async function detailStatus(mp: MiniProgram): Promise<string> {
  const page = await pageAt(mp, 'pages/order-detail/index')
  return (await element(page, '#detail-status')).text()
}

export const journey: Journey = {
  name,
  title: 'a merchant move in the console sends one subscription message that opens the order',
  async run() {
    const account = freshAccount('status')
    const mp = await launchApp(account)
    const browser = await chromium.launch({
      executablePath: resolveExecutable(process.env.CHROMIUM_PATH ?? 'chromium'),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    })
    try {
      // The user orders, then subscribes on the success card (允许 in WeChat's panel).
      const checkout = await openCheckoutWithDish(mp)
      await typeAddress(checkout)
      check((await submitOrder(mp, checkout)) === 'success-card', 'the success card shows')
      const orderId = String(await checkout.data('placed.id'))
      check(orderId.length > 0, 'the order has an id')
      await (await element(checkout, '#subscribe-btn')).tap()
      await mp.native().authorizeAllow()
      await element(checkout, '#subscribe-ok')
      const token = await until('the session token', () => storedToken(mp))
      await until('the server to count the accept', async () => (await credits(token)) === 1)
      await screenshot(mp, name, 'subscribed')

      // The merchant accepts it in the console.
      const console = await consoleSignedIn(browser)
      await moveInConsole(console, orderId, '已接单')

      // One message, opening that order's detail, with its status.
      const [message, ...more] = await until('one delivered message', async () => {
        const list = await deliveredTo(account)
        return list.length > 0 ? list : undefined
      })
      check(more.length === 0, `exactly one message (got ${more.length + 1})`)
      check(
        message!.page === `pages/order-detail/index?id=${orderId}`,
        `the message opens the order (page ${message!.page})`,
      )
      check(message!.data.phrase2 === '已接单', 'the message says 已接单')
      check((await credits(token)) === 0, 'the credit is spent')

      // Tapping the notification opens its page: the app shows the new status.
      await mp.navigateTo(`/${message!.page!}`)
      await until('the detail page to show 商家已接单', async () =>
        (await detailStatus(mp)) === '商家已接单' ? true : undefined,
      )
      await screenshot(mp, name, 'accepted')

      // A second change without a new accept: no message, and the app shows the status.
      await moveInConsole(console, orderId, '待取餐')
      const detail = await pageAt(mp, 'pages/order-detail/index')
      await detail.callMethod('onPullDownRefresh')
      await until('the detail page to show 待取餐', async () =>
        (await detailStatus(mp)) === '待取餐' ? true : undefined,
      )
      // The outbox sends within milliseconds of a change; two seconds of silence is no message.
      const quietUntil = Date.now() + 2000
      while (Date.now() < quietUntil) {
        check((await deliveredTo(account)).length === 1, 'no second message')
        await sleep(200)
      }
      await screenshot(mp, name, 'ready-no-message')
    } finally {
      await browser.close()
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
