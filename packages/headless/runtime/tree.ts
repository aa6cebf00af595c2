// The rendered tree as the automator sees it. A page (or custom component) is a scope: its
// shadow tree plus the content it passes into slots, never the inside of another custom
// component (DevTools needs `el.$()` on the component for that). Virtual nodes (wx:if, wx:for,
// block, slot) are transparent, except a custom component with `virtualHost` (tdesign's, for
// one): it has no element of its own but is still found by its id and class, as selectComponent
// finds it.
import type { Exparser, ExparserNode } from './exparser'
import { isComponentNode, isTextNode } from './exparser'

export interface TreeView {
  exparser: Exparser
}

export function tagName(n: ExparserNode): string {
  return n._vt?.tagName ?? n.is ?? ''
}

/** A custom component (not a built-in slot shell like view/button). */
export function isCustomComponent(ex: Exparser, n: ExparserNode): boolean {
  return isComponentNode(ex, n) && n.is !== undefined && n.is !== tagName(n)
}

/** A virtual node that stands for a component (virtualHost), not for wx:if/block/slot. */
function isVirtualHost(ex: Exparser, n: ExparserNode): boolean {
  return n.__virtual === true && isCustomComponent(ex, n)
}

export function isElement(ex: Exparser, n: ExparserNode): boolean {
  return !isTextNode(ex, n) && (!n.__virtual || isVirtualHost(ex, n))
}

export function attributes(n: ExparserNode): Map<string, unknown> {
  const m = new Map<string, unknown>()
  for (const a of n._vt?.attrs ?? []) m.set(a.name, a.value)
  return m
}

const camel = (s: string): string => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())

/**
 * An attribute by its WXML name: the official compiler camel-cases some (open-type →
 * openType), so both spellings are tried.
 */
export function attribute(n: ExparserNode, name: string): unknown {
  const attrs = attributes(n)
  if (attrs.has(name)) return attrs.get(name)
  const c = camel(name)
  for (const [k, v] of attrs) if (camel(k) === c) return v
  if (name === 'id') return n.id || undefined
  return undefined
}

export function classes(n: ExparserNode): string[] {
  const c = attribute(n, 'class')
  return typeof c === 'string' ? c.split(/\s+/).filter(Boolean) : []
}

/** Element children in the scope (virtual nodes flattened). */
export function scopeChildren(ex: Exparser, n: ExparserNode, isScopeRoot: boolean): ExparserNode[] {
  const source =
    isScopeRoot && isCustomComponent(ex, n) ? (n.shadowRoot?.childNodes ?? []) : n.childNodes
  const out: ExparserNode[] = []
  for (const c of source ?? []) {
    if (isTextNode(ex, c)) continue
    if (c.__virtual && !isVirtualHost(ex, c)) out.push(...scopeChildren(ex, c, false))
    else out.push(c)
  }
  return out
}

/** Every element of a scope in document order, each with its parent in the scope. */
export function walkScope(
  ex: Exparser,
  root: ExparserNode,
): Array<{ node: ExparserNode; parent: ExparserNode | undefined }> {
  const out: Array<{ node: ExparserNode; parent: ExparserNode | undefined }> = []
  const visit = (n: ExparserNode, parent: ExparserNode | undefined, isRoot: boolean): void => {
    for (const c of scopeChildren(ex, n, isRoot)) {
      out.push({ node: c, parent })
      visit(c, c, false)
    }
  }
  visit(root, undefined, true)
  return out
}

/** The visible text of an element (DevTools' innerText; jsdom has no layout, so textContent). */
export function innerText(n: ExparserNode): string {
  return textOf(n).replace(/\s+/g, ' ').trim()
}

/** A virtual host has no element: its text is that of what it renders. */
function textOf(n: ExparserNode): string {
  if (n.$$) return n.$$.textContent ?? ''
  const children = n.shadowRoot?.childNodes ?? n.childNodes ?? []
  return children
    .map((c) => (c.$$ ? (c.$$.textContent ?? '') : (c.textContent ?? textOf(c))))
    .join('')
}

/** Nearest ancestor (or self) satisfying `pred`, following the composed tree upwards. */
export function closest(
  ex: Exparser,
  n: ExparserNode,
  pred: (n: ExparserNode) => boolean,
): ExparserNode | undefined {
  let cur: ExparserNode | null | undefined = n
  while (cur) {
    if (isElement(ex, cur) && pred(cur)) return cur
    cur = cur.parentNode ?? hostOf(cur)
  }
  return undefined
}

function hostOf(n: ExparserNode): ExparserNode | undefined {
  const host = (n as { getHostNode?: () => ExparserNode }).getHostNode
  return typeof host === 'function' ? host.call(n) : undefined
}

/** All elements under `n` (light children, any depth), for form field collection. */
export function descendants(ex: Exparser, n: ExparserNode): ExparserNode[] {
  const out: ExparserNode[] = []
  const visit = (x: ExparserNode): void => {
    for (const c of x.childNodes ?? []) {
      if (isTextNode(ex, c)) continue
      if (!c.__virtual) out.push(c)
      visit(c)
    }
  }
  visit(n)
  return out
}
