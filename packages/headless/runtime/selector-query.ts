// wx.createSelectorQuery() / wx.createIntersectionObserver() at page level: j-component's
// SelectorQuery and IntersectionObserver (the ones `this.createSelectorQuery()` returns inside a
// component), rooted at the current page as in WeChat, where the wx-level query selects in the
// current page unless .in(component) says otherwise.
// Rects come from each node's DOM element (`getBoundingClientRect()`): jsdom's zeros today. That
// is the seam for layout from a real browser engine: whatever gives those elements real boxes
// gives this API real rects, without changes here.
import type { MethodCaller } from './exparser'

/* eslint-disable @typescript-eslint/no-require-imports -- j-component ships no typings */
type QueryCtor = new (caller: MethodCaller | null) => unknown
type ObserverCtor = new (caller: MethodCaller | null, options?: unknown) => unknown

export function pageSelectorQuery(page: MethodCaller | undefined): unknown {
  const SelectorQuery = require('j-component/src/tool/selectorquery') as QueryCtor
  return new SelectorQuery(page ?? null)
}

export function pageIntersectionObserver(
  page: MethodCaller | undefined,
  options?: unknown,
): unknown {
  const IntersectionObserver = require('j-component/src/tool/intersectionobserver') as ObserverCtor
  return new IntersectionObserver(page ?? null, options)
}
/* eslint-enable @typescript-eslint/no-require-imports */
