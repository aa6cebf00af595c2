// miniprogram-simulate helpers shared by the component and page suites: loading a component,
// mounting (profile-form inside a host, as a page uses it), reading text, and waiting for work
// that settles over several turns.
import * as fs from 'fs'
import * as path from 'path'
import simulate from 'miniprogram-simulate'
import type { User } from 'wx-login-kit/types'

export const MP_ROOT = path.resolve(__dirname, '../../../miniprogram')

/**
 * The kit as the app gets it: the built package, copied by 构建 npm (`npm run build` runs it) into
 * miniprogram_npm/wx-login-kit/, never its TypeScript source. jest maps `wx-login-kit` here too.
 */
export const KIT_NPM_DIR = path.join(MP_ROOT, 'miniprogram_npm', 'wx-login-kit')

const loaded = new Map<string, string>()

/**
 * Loads the kit's component <name> from miniprogram_npm (once per test file: simulate cannot
 * load a path twice, so a second call returns the first id). rootPath keeps the compiled
 * templates apart: without it wcc names every component `index.wxml` and the later loads get the
 * first one's template.
 */
export function loadComponent(name: string): string {
  const known = loaded.get(name)
  if (known) return known
  const base = path.join(KIT_NPM_DIR, name, 'index')
  if (!fs.existsSync(`${base}.js`))
    throw new Error(`${base}.js is missing: run \`npm run build\` (builds the kit, then 构建 npm)`)
  const id = simulate.load(base, name, { rootPath: MP_ROOT })
  loaded.set(name, id)
  return id
}

/** Renders a loaded component (or page) and attaches it, so its lifetimes and bindings run. */
export function mount(id: string) {
  const comp = simulate.render(id)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

export type Mounted = ReturnType<typeof mount>

/** A mounted component or one inside it. */
export type Queryable = Pick<Mounted, 'querySelector'>

export const text = (comp: Queryable, selector: string): string =>
  comp.querySelector(selector)?.dom?.textContent?.trim() ?? ''

/** Macrotask turns `flush` gives pending work: store reactions → wx.nextTick → setData → render. */
const FLUSH_TURNS = 5

/**
 * Lets work already queued run: store bindings apply on wx.nextTick (a microtask), handlers may
 * hop a macrotask or two. Counted in event-loop turns, not milliseconds, so a loaded machine
 * cannot make it return early (a 10 ms sleep could, once, on CI).
 */
export async function flush(): Promise<void> {
  for (let turn = 0; turn < FLUSH_TURNS; turn++) await simulate.sleep(0)
}

/** Polls (real time, short) until `cond` holds: async work across several turns. */
export async function until(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await simulate.sleep(5)
  }
}

/**
 * A host that uses profile-form (loaded as `formId`) the way a page does, listening to `saved`.
 * `mount()` renders a fresh host and starts a fresh record of its `saved` events.
 */
export function loadFormHost(formId: string) {
  const saved: User[] = []
  // An inline definition's id is typed apart from a path's; both are the tag's string.
  const hostId = String(
    simulate.load({
      template: '<profile-form id="form" bind:saved="onSaved" />',
      usingComponents: { 'profile-form': formId },
      methods: {
        onSaved(e: WechatMiniprogram.CustomEvent<User>) {
          saved.push(e.detail)
        },
      },
    }),
  )
  return {
    /** The `saved` events of the last mounted host, in order. */
    saved,
    mount() {
      saved.length = 0
      const host = mount(hostId)
      return { host, form: host.querySelector('#form')!, detach: () => host.detach() }
    },
  }
}
