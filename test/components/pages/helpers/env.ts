// The test environment of the page suites: the harness's fake wx (login, request, storage, and the
// flows' APIs once they exist) serving a FakeServer, plus the page-level APIs the fake does not
// model (navigation, toast, tab bar badge, pull-down, location, ...), recorded for assertions.
// Import this module FIRST in a page test: the app's auth instance is created when
// miniprogram/api/client is first loaded, and it reads storage and registers the privacy listener
// on the global wx at that moment (./page imports it first). One fake wx per test file; resetEnv()
// between tests (./page's resetApp also logs out and empties the cart).
import * as fs from 'fs'
import * as path from 'path'
import simulate from 'miniprogram-simulate'
import { installFakeWx } from '../../../harness/wx/index'
import { wxAsync } from '../../../harness/wx/api'
import type { DialogKind } from '../../../harness/wx/dialogs'
import { anonymousProfile } from '../../../harness/wx/profile'
import { loadComponent, MP_ROOT, mount, text, until, type Mounted } from '../../helpers/simulate'
import { FakeServer } from '../../../support/fake-server'

export { text, until }

export const server = new FakeServer()
export const fake = installFakeWx({ requestHandler: server.handle })
fake.control.setUploadHandler(server.upload)
const dialogs = fake.control.dialogs

/** Calls of the page-level APIs below, by name, with their options. */
export const calls: Record<string, Array<Record<string, unknown>>> = {}

const record = (name: string, o: object | undefined) => {
  ;(calls[name] ??= []).push({ ...(o ?? {}) })
}

/** A recorded API that simply succeeds. */
const ok = (name: string) =>
  wxAsync(name, async (o: object) => {
    record(name, o)
    return {}
  })

/** Page-level APIs the harness does not model: routing, tab bar, pull-down, account info. */
const extras: Record<string, unknown> = {
  getAccountInfoSync: () => ({
    miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' },
  }),
  setTabBarBadge: ok('setTabBarBadge'),
  removeTabBarBadge: ok('removeTabBarBadge'),
  navigateTo: ok('navigateTo'),
  redirectTo: ok('redirectTo'),
  switchTab: ok('switchTab'),
  navigateBack: ok('navigateBack'),
  stopPullDownRefresh: ok('stopPullDownRefresh'),
}

// Only what the harness does not provide: its own implementations win once they land.
const target = fake.wx as Record<string, unknown>
for (const [k, v] of Object.entries(extras)) if (!(k in target)) target[k] = v

/** Back to a fresh state between tests (the app's auth instance itself lives per test file). */
export function resetEnv(): void {
  server.reset()
  for (const list of Object.values(calls)) list.length = 0
  for (const scope of Object.keys(fake.control.authSetting)) fake.control.setScope(scope, null)
  fake.control.setProfileSource(anonymousProfile)
  fake.control.setPhoneQuota(Number.POSITIVE_INFINITY)
  fake.control.setPhoneDismissal('getPhoneNumber:fail user deny')
  dialogs.policy = 'wait'
  while (dialogs.answer('cancel')) {
    // close whatever a previous test left open
  }
  fake.control.clearRequests()
}

/** Resolves when a system dialog of `kind` is open (the app asked), failing after `ms`. */
export async function dialogOpen(kind: DialogKind, ms = 3000): Promise<void> {
  await until(() => dialogs.pending().some((d) => d.kind === kind), ms, `a ${kind} dialog`)
}

/** The user answers the open dialog of `kind`. */
export async function answer(kind: DialogKind, a: 'confirm' | 'cancel'): Promise<void> {
  await dialogOpen(kind)
  dialogs.answer(a, [kind])
  await settle()
}

// ---- pages on miniprogram-simulate ----

type UsingComponents = Record<string, string>

const readUsing = (jsonFile: string): UsingComponents =>
  (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { usingComponents?: UsingComponents })
    .usingComponents ?? {}

const KIT_COMPONENT = /^wx-login-kit\/([a-z-]+)\/index$/

/**
 * app.json's global usingComponents (which simulate does not read) plus the page's own. The kit's
 * (`wx-login-kit/<name>/index`, which the platform resolves through miniprogram_npm and simulate
 * cannot) are loaded from miniprogram_npm and passed to simulate by id.
 */
function pageComponents(pageBase: string): UsingComponents {
  const using = { ...readUsing(path.join(MP_ROOT, 'app.json')), ...readUsing(`${pageBase}.json`) }
  for (const [tag, usingPath] of Object.entries(using)) {
    const kitComponent = KIT_COMPONENT.exec(usingPath)?.[1]
    if (kitComponent) using[tag] = loadComponent(kitComponent)
  }
  return using
}

/** Loads a page once per test file (simulate cannot load a path twice under jest). */
export function loadPage(name: string): string {
  const base = path.join(MP_ROOT, 'pages', name, 'index')
  return simulate.load(base, { rootPath: MP_ROOT, usingComponents: pageComponents(base) })
}

export type PageComp = Mounted

export const mountPage = mount

/** Lets promise chains, store bindings (wx.nextTick) and fake-wx callbacks settle. */
export const settle = () => simulate.sleep(0).then(() => simulate.sleep(0))

export const exists = (comp: PageComp, selector: string): boolean => !!comp.querySelector(selector)

/** A tap on an element (simulate dispatches it asynchronously). */
export async function tap(comp: PageComp, selector: string): Promise<void> {
  const el = comp.querySelector(selector)
  if (!el) throw new Error(`nothing matches ${selector}`)
  el.dispatchEvent('tap')
  await settle()
}

/**
 * Runs a page's tap handler synchronously inside a tap gesture (when the harness models
 * gestures), for the tap-only APIs: getUserProfile, requestSubscribeMessage, openSetting.
 */
export function inTap<T>(fn: () => T): T {
  const run = (fake.control as { runAsTap?: <R>(f: () => R) => R }).runAsTap
  return run ? run(fn) : fn()
}
