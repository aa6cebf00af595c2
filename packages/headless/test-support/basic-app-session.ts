// A test file's one automator session on the basic fixture, opened on one page: the unmodified
// client launches the headless CLI before the file's tests and closes it after them.
import automator from 'miniprogram-automator'
import type MiniProgram from 'miniprogram-automator/out/MiniProgram'
import type Page from 'miniprogram-automator/out/Page'
import { freePort } from '../cli/free-port'
import { HEADLESS_CLI } from '../cli/paths'
import { BASIC_PROJECT } from '../fixtures'

export interface BasicAppSession {
  mp: MiniProgram
  page: Page
}

/** Registers beforeAll/afterAll; the returned object is filled in before the first test runs. */
export function useBasicAppOn(route: string): BasicAppSession {
  const session = {} as BasicAppSession
  beforeAll(async () => {
    session.mp = await automator.launch({
      cliPath: HEADLESS_CLI,
      projectPath: BASIC_PROJECT,
      port: await freePort(),
    })
    session.page = (await session.mp.reLaunch(route))!
  }, 60_000)
  afterAll(async () => {
    await session.mp?.close()
  })
  return session
}
