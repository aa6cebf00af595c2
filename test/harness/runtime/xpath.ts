// XPath over the page's composed tree, as DevTools evaluates it in the page's webview: custom
// components are expanded in place (their shadow tree, with slotted content where it is shown),
// elements carry their WXML tag names (view, text, button, x-badge …) and WXML attributes
// (`//view[@class="item"]`, `//button[text()="Go"]`, `(//view)[2]`). Built as an XML copy of the
// composed tree that jsdom's XPath engine evaluates; each copied element maps back to its node.
import type { Exparser, ExparserNode } from './exparser'
import { attributes, isElement, tagName } from './tree'

export class XPathError extends Error {}

/** XPath result type ORDERED_NODE_SNAPSHOT_TYPE (the constant lives on the window's XPathResult). */
const ORDERED_NODE_SNAPSHOT = 7

/** A selector written as XPath: CSS selectors never start with '/' or '('. */
export function isXPath(selector: string): boolean {
  return /^\s*[/(]/.test(selector)
}

function copyAttributes(xml: Element, node: ExparserNode): void {
  for (const [name, value] of attributes(node)) {
    if (value === undefined || value === null || value === false) continue
    const text =
      value === true ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
    try {
      xml.setAttribute(name, text)
    } catch {
      // not a valid XML attribute name: not addressable by XPath
    }
  }
  if (node.id && !xml.hasAttribute('id')) xml.setAttribute('id', node.id)
}

/** Every element of the page (any depth, through custom components) matching `expression`. */
export function evaluateXPath(
  ex: Exparser,
  page: ExparserNode,
  expression: string,
): ExparserNode[] {
  const xmlDoc = document.implementation.createDocument(null, 'page', null)
  const back = new Map<Node, ExparserNode>()
  const copy = (dom: Node, into: Element): void => {
    for (const child of dom.childNodes) {
      if (child.nodeType === 3) {
        into.appendChild(xmlDoc.createTextNode(child.textContent ?? ''))
        continue
      }
      if (child.nodeType !== 1) continue
      const node = (child as Node & { __wxElement?: ExparserNode }).__wxElement
      let target = into
      if (node && isElement(ex, node)) {
        try {
          target = xmlDoc.createElement(tagName(node) || 'unknown')
        } catch {
          target = xmlDoc.createElement('unknown')
        }
        copyAttributes(target, node)
        back.set(target, node)
        into.appendChild(target)
      }
      copy(child, target)
    }
  }
  if (page.$$) copy(page.$$, xmlDoc.documentElement!)
  let result: XPathResult
  try {
    result = xmlDoc.evaluate(expression, xmlDoc, null, ORDERED_NODE_SNAPSHOT, null)
  } catch (e) {
    throw new XPathError(
      `invalid xpath ${expression}: ${e instanceof Error ? e.message : String(e)}`,
    )
  }
  const out: ExparserNode[] = []
  for (let i = 0; i < result.snapshotLength; i++) {
    const node = back.get(result.snapshotItem(i)!)
    if (node) out.push(node)
  }
  return out
}
