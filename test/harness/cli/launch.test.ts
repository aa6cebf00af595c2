// An unmodified automator script: automator.launch({ cliPath }) spawns the headless CLI exactly
// as it spawns DevTools' cli, then drives the fixture app. (launch() sleeps 5 s by design.)
import automator from 'miniprogram-automator'
import { BASIC_PROJECT } from '../fixtures'
import { freePort } from './free-port'
import { HEADLESS_CLI } from './paths'

jest.setTimeout(60_000)

test('automator.launch({ cliPath }) starts the runtime and a plain script passes', async () => {
  const port = await freePort()
  const mp = await automator.launch({
    cliPath: HEADLESS_CLI,
    projectPath: BASIC_PROJECT,
    port,
    account: 'o-launch',
  })
  try {
    const page = (await mp.currentPage())!
    expect(page.path).toBe('pages/home/index')
    const title = await page.$('#title')
    await (await page.$('#inc'))!.tap()
    await page.waitFor(100)
    expect(await title!.text()).toMatch(/^Count \d+ double \d+$/)
    expect(await page.data('count')).toBe(1)
    const info = (await mp.systemInfo()) as { SDKVersion: string }
    expect(info.SDKVersion).toBe('3.6.0')
  } finally {
    await mp.close()
  }
})
