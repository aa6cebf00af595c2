// Element.getWXML: the rendered markup with WeChat's tag names (no wx- prefix) and the WXSS
// class names as written (without miniprogram-simulate's per-component prefix).
import type { ExparserNode } from '../runtime/exparser'

export function toWxml(node: ExparserNode, outer: boolean): string {
  const dom = node.$$
  if (!dom) return ''
  const html = outer ? dom.outerHTML : dom.innerHTML
  return html
    .replace(/<(\/?)wx-/g, '<$1')
    .replace(
      /class="([^"]*)"/g,
      (_m, cls: string) => `class="${cls.replace(/(^|\s)[-\w]+--/g, '$1')}"`,
    )
}
