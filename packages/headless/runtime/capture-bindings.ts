// One element may listen to the same event in both phases, e.g.
// `<view bindtap="onTap" capture-bind:tap="onCapture">`: WeChat calls both handlers (capture on the
// way down, bind on the way up; see the framework guide's 事件的捕获阶段). j-component keys an
// element's bindings by the event name alone, so the later attribute silently replaced the other.
// Capture bindings therefore get a distinct key (the event name plus a marker) when j-component
// parses them, and the marker is removed again when the listener reaches exparser.
import type { Exparser } from './exparser'

const CAPTURE_MARK = '\u0000capture'

interface ParsedEvent {
  name: string
  isCapture: boolean
}

interface JComponentUtils {
  parseEvent(name: string, value: unknown): ParsedEvent | undefined
}

type ListenerFn = (elem: unknown, name: string, ...rest: unknown[]) => unknown

function eventName(name: string): string {
  return name.endsWith(CAPTURE_MARK) ? name.slice(0, -CAPTURE_MARK.length) : name
}

export function keepCaptureAndBubbleBindings(utils: JComponentUtils, exparser: Exparser): void {
  const parseEvent = utils.parseEvent.bind(utils)
  utils.parseEvent = (name, value) => {
    const parsed = parseEvent(name, value)
    if (parsed?.isCapture) parsed.name += CAPTURE_MARK
    return parsed
  }
  const listeners = exparser as unknown as Record<
    'addListenerToElement' | 'removeListenerFromElement',
    ListenerFn
  >
  for (const method of ['addListenerToElement', 'removeListenerFromElement'] as const) {
    const original = listeners[method].bind(exparser)
    listeners[method] = (elem, name, ...rest) => original(elem, eventName(name), ...rest)
  }
}
