// Behaviour of the built-in components miniprogram-simulate only renders as <slot/> shells:
// input/textarea keep a value and fire `input`; switches, checkboxes and radios keep their state
// (choice-controls.ts); a slider keeps the value it was slid to; a form-type button submits its
// form with the values of named fields; an open-type button starts the platform flow and
// dispatches the matching event (getphonenumber, chooseavatar, opensetting,
// agreeprivacyauthorization …).
import { ChoiceControls } from './choice-controls'
import type { Exparser, ExparserNode } from './exparser'
import { navigatorRoute, type Route } from './navigator'
import { fireEvent } from './events'
import { attribute, closest, descendants, scopeChildren, tagName } from './tree'

/**
 * A platform flow behind an open-type button, started when the button is tapped; resolves with
 * the event's detail, or null when the platform fires no event (e.g. chooseAvatar cancelled).
 */
export type OpenTypeFlow = (button: { id: string }) => Promise<Record<string, unknown> | null>

/** Keyed by the open-type value as written in WXML (getPhoneNumber, chooseAvatar …). */
export type OpenTypeFlows = Partial<Record<string, OpenTypeFlow>>

/** open-type → the event it dispatches. 'contact', 'share', 'feedback' … fire nothing here. */
export const OPEN_TYPE_EVENTS: Record<string, string> = {
  getPhoneNumber: 'getphonenumber',
  getRealtimePhoneNumber: 'getrealtimephonenumber',
  chooseAvatar: 'chooseavatar',
  openSetting: 'opensetting',
  agreePrivacyAuthorization: 'agreeprivacyauthorization',
  getUserInfo: 'getuserinfo',
  launchApp: 'launchapp',
}

const FIELD_TAGS = new Set([
  'input',
  'textarea',
  'switch',
  'slider',
  'picker',
  'radio-group',
  'checkbox-group',
])

interface Typed {
  value: string
  /** The value attribute when the user typed: a later setData of `value` wins over typing. */
  attrAtTyping: unknown
}

export class Builtins {
  private readonly typed = new WeakMap<ExparserNode, Typed>()
  private readonly slid = new WeakMap<ExparserNode, { value: number; attrAtSlide: unknown }>()
  private readonly swiped = new WeakMap<ExparserNode, { current: number; attrAtSwipe: unknown }>()
  readonly choices: ChoiceControls

  constructor(
    private readonly ex: Exparser,
    private readonly flows: () => OpenTypeFlows,
    private readonly onError: (e: unknown) => void,
    /** The route APIs, for <navigator> (navigator.ts). */
    private readonly route: Route = () => Promise.resolve(),
  ) {
    this.choices = new ChoiceControls(ex)
  }

  /** The current value of a form field (typed text, or the bound value). */
  value(node: ExparserNode): unknown {
    const attr = attribute(node, 'value')
    const t = this.typed.get(node)
    if (t && t.attrAtTyping === attr) return t.value
    const tag = tagName(node)
    if (tag === 'switch' || tag === 'checkbox' || tag === 'radio')
      return this.choices.isChecked(node)
    if (tag === 'checkbox-group' || tag === 'radio-group') return this.choices.groupValue(node)
    if (tag === 'slider') {
      const s = this.slid.get(node)
      // slider's value is a Number property: a static value="50" still submits 50.
      return s && s.attrAtSlide === attr ? s.value : Number(attr ?? 0)
    }
    return attr ?? (tag === 'input' || tag === 'textarea' ? '' : undefined)
  }

  /** slider.slideTo: the user slides to `value` (fires `change`, as releasing the thumb does). */
  slide(node: ExparserNode, value: number): void {
    this.slid.set(node, { value, attrAtSlide: attribute(node, 'value') })
    fireEvent(this.ex, node, 'change', { value }, { bubbles: false })
  }

  /**
   * The swiper's shown item: where the user swiped to, until the app sets `current` again (as a
   * swiper keeps its own position while the bound value stays unchanged).
   */
  swiperCurrent(node: ExparserNode): number {
    const attr = attribute(node, 'current')
    const s = this.swiped.get(node)
    if (s && s.attrAtSwipe === attr) return s.current
    const current = Number(attr ?? 0)
    return Number.isInteger(current) && current >= 0 ? current : 0
  }

  /**
   * swiper.swipeTo: the user swipes to item `index`; `change` fires with WeChat's detail
   * `{current, currentItemId, source: 'touch'}` (source 'autoplay' is for autoplay only).
   */
  swipe(node: ExparserNode, index: number): void {
    this.swiped.set(node, { current: index, attrAtSwipe: attribute(node, 'current') })
    const item = scopeChildren(this.ex, node, false).filter((n) => tagName(n) === 'swiper-item')[
      index
    ]
    const itemId = item ? attribute(item, 'item-id') : undefined
    fireEvent(
      this.ex,
      node,
      'change',
      { current: index, currentItemId: typeof itemId === 'string' ? itemId : '', source: 'touch' },
      { bubbles: false },
    )
  }

  /** input.input / textarea.input: the user types `value` (fires `input`, as the keyboard does). */
  input(node: ExparserNode, value: string): void {
    const before = attribute(node, 'value')
    this.typed.set(node, { value, attrAtTyping: before })
    fireEvent(
      this.ex,
      node,
      'input',
      { value, cursor: value.length, keyCode: 0 },
      { bubbles: false },
    )
    // A bindinput handler that echoes the text into the bound value (setData({ input: v })) makes
    // the value attribute the source of truth again, so a later setData({ input: '' }) clears the
    // field even though '' was the attribute when the user typed.
    if (attribute(node, 'value') !== before) this.typed.delete(node)
  }

  /**
   * A tap on `target`: the open-type flow starts first (its synchronous part, e.g. marking the
   * privacy agree button as tapped, must precede the app's handlers), then `dispatch` fires the
   * tap itself, then a form-type button submits or resets its form.
   */
  tap(target: ExparserNode, dispatch: () => void): void {
    const button = closest(this.ex, target, (n) => tagName(n) === 'button')
    const enabled =
      button !== undefined &&
      attribute(button, 'disabled') !== true &&
      attribute(button, 'disabled') !== 'true'
    const openType = enabled ? attribute(button, 'open-type') : undefined
    // open-type="share" fires no event but has a flow (the share sheet), like the mapped ones.
    if (typeof openType === 'string' && (openType in OPEN_TYPE_EVENTS || openType === 'share'))
      this.openType(button!, openType)
    dispatch()
    if (enabled) this.formAction(button!)
    const control = this.choices.controlFor(target)
    if (control) this.choices.operate(control)
    const navigator = closest(this.ex, target, (n) => tagName(n) === 'navigator')
    const route = navigator && navigatorRoute(navigator)
    if (route) this.route(route.api, route.options).catch((e: unknown) => this.onError(e))
  }

  private formAction(button: ExparserNode): void {
    const formType = attribute(button, 'form-type')
    if (formType === 'submit' || formType === 'reset') {
      const form = closest(this.ex, button, (n) => tagName(n) === 'form')
      if (form) this.submit(form, formType === 'submit' ? 'submit' : 'reset', button)
    }
  }

  private submit(form: ExparserNode, type: 'submit' | 'reset', button: ExparserNode): void {
    const value: Record<string, unknown> = {}
    for (const n of descendants(this.ex, form)) {
      if (type === 'reset') {
        this.choices.reset(n)
        this.slid.delete(n)
      }
      if (!FIELD_TAGS.has(tagName(n))) continue
      const name = attribute(n, 'name')
      if (typeof name !== 'string' || name === '') continue
      if (type === 'reset') this.typed.delete(n)
      else value[name] = this.value(n)
    }
    const detail =
      type === 'submit'
        ? { value, target: { id: button.id ?? '', dataset: button.dataset ?? {} } }
        : {}
    fireEvent(this.ex, form, type, detail)
  }

  private openType(button: ExparserNode, openType: string): void {
    const flow = this.flows()[openType]
    const eventName = OPEN_TYPE_EVENTS[openType]
    if (!flow) return
    // The flow starts inside the tap (it may need the gesture); its answer arrives later.
    let started: Promise<Record<string, unknown> | null>
    try {
      started = flow({ id: String(attribute(button, 'id') ?? '') })
    } catch (e) {
      this.onError(e)
      return
    }
    started.then(
      (detail) => {
        if (detail && eventName) fireEvent(this.ex, button, eventName, detail, { bubbles: false })
      },
      (e: unknown) => this.onError(e),
    )
  }
}
