// The merchant console in a real browser: the system's headless Chromium, driven by
// playwright-core, signs in, sees an order placed through the API appear without reloading,
// accepts it, and reads the page.
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { resolveExecutable } from '../../packages/headless/runtime/layout/browser'
import { DEV_CONSOLE_PASSWORD } from '../src/config'
import { authHeader, createTestApp, useLeakCheck, type TestApp } from './helpers'

useLeakCheck()
jest.setTimeout(60_000)

let t: TestApp
let browser: Browser
let base = ''
beforeAll(async () => {
  t = await createTestApp({ outbox: { autoStart: false } })
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: resolveExecutable(process.env.CHROMIUM_PATH ?? 'chromium'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
})
afterAll(async () => {
  await browser?.close()
  await t.close()
})

test('staff sign in, see a new order appear live, accept it', async () => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`${base}/console/`)

  // A wrong password first: the page says so in Chinese and stays on the form.
  await page.fill('#password', 'not-it')
  await page.click('#sign-in button[type=submit]')
  await page.waitForFunction(
    () => document.getElementById('sign-in-error')?.textContent === '密码错误',
  )

  await page.fill('#password', DEV_CONSOLE_PASSWORD)
  await page.click('#sign-in button[type=submit]')
  await page.waitForSelector('#board:not([hidden])')
  await page.waitForFunction(() => document.getElementById('live')?.textContent === '实时更新中')
  // The cookie is httpOnly: the page's script cannot read it.
  expect(await page.evaluate(() => document.cookie)).toBe('')
  const cookies = await context.cookies()
  expect(cookies.find((c) => c.name === 'console_session')).toMatchObject({
    httpOnly: true,
    sameSite: 'Strict',
    path: '/console',
  })

  // An order placed through the mini-program API shows up without a reload.
  const navigations: string[] = []
  page.on('framenavigated', (f) => navigations.push(f.url()))
  const { token } = await t.login()
  const placed = await t.inject({
    method: 'POST',
    url: '/orders',
    headers: { ...authHeader(token), 'idempotency-key': 'browser-1' },
    payload: { items: [{ itemId: 'beef-noodles', quantity: 1 }] },
  })
  expect(placed.statusCode).toBe(201)
  const orderId = placed.json<{ id: string }>().id
  const row = page.locator(`tr[data-order-id="${orderId}"]`)
  await row.waitFor({ timeout: 10_000 })
  expect(await row.locator('.status').textContent()).toBe('已下单')
  expect(await row.locator('button.next').textContent()).toBe('接单')

  await row.locator('button.next').click()
  await page.waitForFunction(
    (id) => document.querySelector(`tr[data-order-id="${id}"] .status`)?.textContent === '已接单',
    orderId,
  )
  expect(await row.locator('button.next').textContent()).toBe('出餐')
  expect(navigations).toEqual([])
  expect(errors).toEqual([])

  const read = await t.inject({
    method: 'GET',
    url: `/orders/${orderId}`,
    headers: authHeader(token),
  })
  expect(read.json()).toMatchObject({ status: 'accepted' })
  await context.close()
})
