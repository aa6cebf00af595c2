// The cart: lines in the order they were first added, with count and total (in fen) derived.
import { observable, action } from 'mobx-miniprogram'
import type { OrderLine } from '../api/orders'

export interface CartItemInput {
  id: string
  name: string
  price: number
}

export interface CartStore {
  lines: OrderLine[]
  readonly count: number
  /** Total in fen. */
  readonly total: number
  /** itemId -> quantity, for the menu's steppers. */
  readonly quantities: Record<string, number>
  add(item: CartItemInput): void
  remove(itemId: string): void
  clear(): void
}

export const cart: CartStore = observable({
  lines: [] as OrderLine[],

  get count(): number {
    return this.lines.reduce((n, l) => n + l.quantity, 0)
  },

  get total(): number {
    return this.lines.reduce((n, l) => n + l.quantity * l.price, 0)
  },

  get quantities(): Record<string, number> {
    const q: Record<string, number> = {}
    for (const l of this.lines) q[l.itemId] = l.quantity
    return q
  },

  add: action(function (this: CartStore, item: CartItemInput): void {
    const line = this.lines.find((l) => l.itemId === item.id)
    if (line) line.quantity += 1
    else this.lines.push({ itemId: item.id, name: item.name, price: item.price, quantity: 1 })
  }),

  remove: action(function (this: CartStore, itemId: string): void {
    const i = this.lines.findIndex((l) => l.itemId === itemId)
    if (i < 0) return
    const line = this.lines[i]!
    if (line.quantity > 1) line.quantity -= 1
    else this.lines.splice(i, 1)
  }),

  clear: action(function (this: CartStore): void {
    this.lines.splice(0, this.lines.length)
  }),
})

/** The tab bar badge on 菜单 shows the cart count. Only valid on tab pages: failures are ignored. */
export function syncCartBadge(count: number): void {
  if (typeof wx === 'undefined' || typeof wx.setTabBarBadge !== 'function') return
  const noop = () => undefined
  if (count > 0) {
    wx.setTabBarBadge({ index: 0, text: count > 99 ? '99+' : String(count), fail: noop })
  } else if (typeof wx.removeTabBarBadge === 'function') {
    wx.removeTabBarBadge({ index: 0, fail: noop })
  }
}
