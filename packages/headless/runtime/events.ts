// Dispatching WeChat events on the exparser tree synchronously (j-component's dispatchEvent
// defers to a microtask, which would run the handler outside a tap gesture).
import type { Exparser, ExparserNode } from './exparser'

export interface Touch {
  identifier?: number
  x?: number
  y?: number
  pageX?: number
  pageY?: number
  clientX?: number
  clientY?: number
}

export interface FireOptions {
  bubbles?: boolean
  touches?: unknown[]
  changedTouches?: unknown[]
}

export function fireEvent(
  ex: Exparser,
  node: ExparserNode,
  type: string,
  detail: unknown = {},
  options: FireOptions = {},
): void {
  const event = ex.Event.create(type, detail, {
    bubbles: options.bubbles ?? true,
    composed: true,
    capturePhase: true,
    extraFields: {
      touches: options.touches ?? [],
      changedTouches: options.changedTouches ?? [],
    },
  })
  ex.Event.dispatchEvent(node, event)
}

export function touchPoint(t: Touch = {}): Record<string, number> {
  const x = t.pageX ?? t.clientX ?? t.x ?? 0
  const y = t.pageY ?? t.clientY ?? t.y ?? 0
  return { identifier: t.identifier ?? 0, pageX: x, pageY: y, clientX: x, clientY: y, x, y }
}
