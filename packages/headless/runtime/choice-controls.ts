// What a user's tap does to WeChat's choice controls, which miniprogram-simulate renders as bare
// shells: a <switch> or <checkbox> toggles, a <radio> becomes the one selected in its
// <radio-group>, and the group (or the switch) fires `change` with its new value: a switch's
// `{ value: checked }`, a checkbox-group's array of the checked values, a radio-group's selected
// value. A <label> passes its tap to the control named by its `for`, or else to the first control
// inside it (the label component's documented behaviour). The state lives here, as the view's
// state does on the platform: a later setData of `checked` wins over what the user did.
import type { Exparser, ExparserNode } from './exparser'
import { fireEvent } from './events'
import { attribute, closest, descendants, tagName } from './tree'

const CONTROLS = new Set(['switch', 'checkbox', 'radio'])

interface Checked {
  checked: boolean
  /** The `checked` attribute when the user changed it. */
  attrAtChange: unknown
}

/** A Boolean property set in WXML: `checked`, `checked="{{true}}"`, even `checked="false"`. */
function isSet(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value !== '')
}

function isDisabled(n: ExparserNode): boolean {
  return isSet(attribute(n, 'disabled')) && attribute(n, 'disabled') !== 'false'
}

export class ChoiceControls {
  private readonly state = new WeakMap<ExparserNode, Checked>()

  constructor(private readonly ex: Exparser) {}

  isChecked(n: ExparserNode): boolean {
    const attr = attribute(n, 'checked')
    const s = this.state.get(n)
    return s && s.attrAtChange === attr ? s.checked : isSet(attr)
  }

  /** A checkbox-group's checked values, a radio-group's selected value ('' when none). */
  groupValue(group: ExparserNode): string[] | string {
    const member = tagName(group) === 'checkbox-group' ? 'checkbox' : 'radio'
    const values = this.members(group, member)
      .filter((n) => this.isChecked(n))
      .map((n) => String(attribute(n, 'value') ?? ''))
    return member === 'checkbox' ? values : (values[0] ?? '')
  }

  /** The control a tap on `target` operates, if any. */
  controlFor(target: ExparserNode): ExparserNode | undefined {
    const own = closest(this.ex, target, (n) => CONTROLS.has(tagName(n)))
    if (own) return own
    const label = closest(this.ex, target, (n) => tagName(n) === 'label')
    if (!label) return undefined
    const forId = attribute(label, 'for')
    const scope = typeof forId === 'string' && forId !== '' ? this.root(label) : label
    return descendants(this.ex, scope).find(
      (n) =>
        CONTROLS.has(tagName(n)) &&
        (typeof forId !== 'string' || forId === '' || attribute(n, 'id') === forId),
    )
  }

  /** The user operates `control` (a switch, checkbox or radio): its state changes and it says so. */
  operate(control: ExparserNode): void {
    if (isDisabled(control)) return
    const tag = tagName(control)
    if (tag === 'radio') {
      if (this.isChecked(control)) return
      const group = closest(this.ex, control, (n) => tagName(n) === 'radio-group')
      for (const other of group ? this.members(group, 'radio') : []) this.set(other, false)
      this.set(control, true)
      if (group)
        fireEvent(this.ex, group, 'change', { value: this.groupValue(group) }, { bubbles: false })
      return
    }
    this.set(control, !this.isChecked(control))
    if (tag === 'switch') {
      fireEvent(this.ex, control, 'change', { value: this.isChecked(control) }, { bubbles: false })
      return
    }
    const group = closest(this.ex, control, (n) => tagName(n) === 'checkbox-group')
    if (group)
      fireEvent(this.ex, group, 'change', { value: this.groupValue(group) }, { bubbles: false })
  }

  /** A form reset: every control shows its `checked` attribute again. */
  reset(n: ExparserNode): void {
    this.state.delete(n)
  }

  private set(n: ExparserNode, checked: boolean): void {
    this.state.set(n, { checked, attrAtChange: attribute(n, 'checked') })
  }

  private members(group: ExparserNode, tag: string): ExparserNode[] {
    return descendants(this.ex, group).filter((n) => tagName(n) === tag)
  }

  /** The tree `for` looks in: the label's own page or component (its shadow root). */
  private root(n: ExparserNode): ExparserNode {
    return n.ownerShadowRoot ?? n
  }
}
