// 菜单: public browsing. GET /menu goes with auth 'none', so opening the app and browsing never
// calls wx.login; login happens later, silently, when the first order is placed.
import { ComponentWithStore } from 'mobx-miniprogram-bindings'
import { fetchMenu } from '../../api/menu'
import type { MenuCategory } from '../../api/menu'
import { errorMessage } from '../../api/errors'
import { formatPrice } from '../../api/format'
import { cart, syncCartBadge } from '../../stores/cart'
import { reloadHandlers } from '../common/reload'

type LoadState = 'loading' | 'ready' | 'empty' | 'error'

interface ItemView {
  id: string
  name: string
  description: string
  price: number
  priceText: string
  image: string
  soldOut: boolean
}

interface CategoryView {
  id: string
  name: string
  items: ItemView[]
}

const toView = (categories: MenuCategory[]): CategoryView[] =>
  categories
    .filter((c) => Array.isArray(c.items) && c.items.length > 0)
    .map((c) => ({
      id: c.id,
      name: c.name,
      items: c.items.map((i) => ({
        id: i.id,
        name: i.name,
        description: i.description || '',
        price: i.price,
        priceText: formatPrice(i.price),
        image: i.image || '',
        soldOut: !!i.soldOut,
      })),
    }))

ComponentWithStore({
  storeBindings: {
    store: cart,
    fields: {
      cartCount: () => cart.count,
      cartTotalText: () => formatPrice(cart.total),
      quantities: () => ({ ...cart.quantities }),
    },
    actions: {},
  },

  data: {
    state: 'loading' as LoadState,
    errorText: '',
    categories: [] as CategoryView[],
    activeId: '',
    /** Bound from the cart store. */
    cartCount: 0,
    cartTotalText: formatPrice(0),
    quantities: {} as Record<string, number>,
  },

  observers: {
    cartCount(count: number) {
      syncCartBadge(count)
    },
  },

  methods: {
    // onPullDownRefresh, onRetry: load() again.
    ...reloadHandlers,

    onLoad() {
      void this.load()
    },

    onShow() {
      syncCartBadge(cart.count)
    },

    async load(): Promise<void> {
      this.setData({ state: 'loading', errorText: '' })
      try {
        const menu = await fetchMenu()
        const categories = toView(menu.categories)
        const activeId = categories.some((c) => c.id === this.data.activeId)
          ? this.data.activeId
          : (categories[0]?.id ?? '')
        this.setData({ categories, activeId, state: categories.length > 0 ? 'ready' : 'empty' })
      } catch (e) {
        this.setData({ state: 'error', errorText: errorMessage(e, '菜单加载失败，请重试') })
      }
    },

    onSelectCategory(e: WechatMiniprogram.TouchEvent<object, object, { id: string }>) {
      this.setData({ activeId: e.currentTarget.dataset.id })
    },

    findItem(id: string): ItemView | undefined {
      for (const c of this.data.categories) {
        const item = c.items.find((i) => i.id === id)
        if (item) return item
      }
      return undefined
    },

    onAdd(e: WechatMiniprogram.TouchEvent<object, object, { id: string }>) {
      const item = this.findItem(e.currentTarget.dataset.id)
      if (item && !item.soldOut) cart.add({ id: item.id, name: item.name, price: item.price })
    },

    onRemove(e: WechatMiniprogram.TouchEvent<object, object, { id: string }>) {
      cart.remove(e.currentTarget.dataset.id)
    },

    onCheckout() {
      if (cart.count === 0) return
      wx.navigateTo({ url: '/pages/checkout/index' })
    },
  },
})
