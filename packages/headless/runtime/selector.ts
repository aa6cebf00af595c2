// CSS selectors over the rendered tree, because miniprogram-simulate's querySelector knows only
// #id, .class and combinators. Supported: tag, #id, .class, [attr], [attr=v] (also ^= $= *= ~=),
// '*', descendant and '>' combinators, and ',' groups.
import type { Exparser, ExparserNode } from './exparser'
import { attribute, classes, tagName, walkScope } from './tree'

interface AttrTest {
  name: string
  op?: '=' | '^=' | '$=' | '*=' | '~='
  value?: string
}

interface Compound {
  tag?: string
  id?: string
  classes: string[]
  attrs: AttrTest[]
}

interface Step {
  compound: Compound
  /** How this step relates to the previous (left) one. */
  combinator: ' ' | '>'
}

export class SelectorError extends Error {}

const IDENT = /^-?[_a-zA-Z\u00a0-\uffff][-_a-zA-Z0-9\u00a0-\uffff]*/

export function parseSelector(selector: string): Step[][] {
  const groups: Step[][] = []
  let s = selector.trim()
  let steps: Step[] = []
  let combinator: ' ' | '>' = ' '
  const fail = (): never => {
    throw new SelectorError(`unsupported selector: ${selector}`)
  }
  while (s.length > 0) {
    const c: Compound = { classes: [], attrs: [] }
    let matched = false
    for (;;) {
      let m: RegExpMatchArray | null
      if (s.startsWith('*')) {
        s = s.slice(1)
        matched = true
      } else if (
        (m = s.match(IDENT)) &&
        !matched &&
        c.tag === undefined &&
        c.id === undefined &&
        c.classes.length === 0
      ) {
        c.tag = m[0]
        s = s.slice(m[0].length)
        matched = true
      } else if (s.startsWith('#') && (m = s.slice(1).match(IDENT))) {
        c.id = m[0]
        s = s.slice(1 + m[0].length)
        matched = true
      } else if (s.startsWith('.') && (m = s.slice(1).match(IDENT))) {
        c.classes.push(m[0])
        s = s.slice(1 + m[0].length)
        matched = true
      } else if (s.startsWith('[')) {
        const end = s.indexOf(']')
        if (end < 0) fail()
        const body = s.slice(1, end).trim()
        s = s.slice(end + 1)
        const am = body.match(
          /^([-_a-zA-Z0-9:]+)\s*(?:([~^$*]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?$/,
        )
        if (!am) fail()
        const [, name = '', op, v1, v2, v3] = am!
        c.attrs.push(
          op ? { name, op: op as AttrTest['op'], value: v1 ?? v2 ?? v3 ?? '' } : { name },
        )
        matched = true
      } else break
    }
    if (!matched) fail()
    steps.push({ compound: c, combinator })
    const ws = s.match(/^\s*/)![0]
    s = s.slice(ws.length)
    if (s.startsWith('>')) {
      combinator = '>'
      s = s.slice(1).trimStart()
    } else if (s.startsWith(',')) {
      groups.push(steps)
      steps = []
      combinator = ' '
      s = s.slice(1).trimStart()
    } else if (ws.length > 0 || s.length === 0) {
      combinator = ' '
    } else fail()
  }
  if (steps.length === 0) fail()
  groups.push(steps)
  return groups
}

function matchesCompound(n: ExparserNode, c: Compound): boolean {
  if (c.tag !== undefined && tagName(n) !== c.tag) return false
  if (c.id !== undefined && (n.id || attribute(n, 'id')) !== c.id) return false
  if (c.classes.length > 0) {
    const have = classes(n)
    if (!c.classes.every((x) => have.includes(x))) return false
  }
  for (const a of c.attrs) {
    const v = attribute(n, a.name)
    if (v === undefined || v === null) return false
    if (!a.op) continue
    const s = String(v)
    const want = a.value ?? ''
    const ok =
      a.op === '='
        ? s === want
        : a.op === '^='
          ? s.startsWith(want)
          : a.op === '$='
            ? s.endsWith(want)
            : a.op === '*='
              ? s.includes(want)
              : s.split(/\s+/).includes(want)
    if (!ok) return false
  }
  return true
}

/** Every element of `scope` matching `selector`, in document order. */
export function querySelectorAll(
  ex: Exparser,
  scope: ExparserNode,
  selector: string,
): ExparserNode[] {
  const groups = parseSelector(selector)
  const entries = walkScope(ex, scope)
  const parentOf = new Map<ExparserNode, ExparserNode | undefined>()
  for (const e of entries) parentOf.set(e.node, e.parent)
  const matches = (n: ExparserNode, steps: Step[], i: number): boolean => {
    const step = steps[i]!
    if (!matchesCompound(n, step.compound)) return false
    if (i === 0) return true
    if (step.combinator === '>') {
      const p = parentOf.get(n)
      return p !== undefined && matches(p, steps, i - 1)
    }
    for (let p = parentOf.get(n); p !== undefined; p = parentOf.get(p)) {
      if (matches(p, steps, i - 1)) return true
    }
    return false
  }
  return entries
    .map((e) => e.node)
    .filter((n) => groups.some((steps) => matches(n, steps, steps.length - 1)))
}
