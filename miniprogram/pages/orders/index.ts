// 订单: the user's orders. Protected: opening the tab logs in silently (auth 'required' on the
// first call). Loading, empty, list and error states; pull down to refresh; tap for the detail.
import { errorMessage } from '../../api/errors'
import { formatPrice, formatTime } from '../../api/format'
import { listOrders, orderStatusText } from '../../api/orders'
import type { Order } from '../../api/orders'
import { sessionReloadHandlers } from '../common/reload'

type ListState = 'loading' | 'empty' | 'list' | 'error'

interface OrderView {
  id: string
  status: string
  statusText: string
  timeText: string
  summary: string
  /** Delivery address; '' when the order has none. */
  address: string
  totalText: string
}

const toOrderView = (o: Order): OrderView => {
  const lines = Array.isArray(o.items) ? o.items : []
  const count = lines.reduce((n, l) => n + l.quantity, 0)
  const names = lines.slice(0, 2).map((l) => `${l.name}×${l.quantity}`)
  return {
    id: o.id,
    status: o.status,
    statusText: orderStatusText(o.status),
    timeText: formatTime(o.createdAt),
    summary: lines.length > 2 ? `${names.join('、')} 等 ${count} 件` : names.join('、'),
    address: o.address ?? '',
    totalText: formatPrice(o.total),
  }
}

Component({
  data: {
    state: 'loading' as ListState,
    orders: [] as OrderView[],
    errorText: '',
    refreshing: false,
  },

  methods: {
    // onPullDownRefresh, onRetry: auth.ensureLogin() (a user's action re-arms the kit), then load().
    ...sessionReloadHandlers,

    showLoadError(e: unknown): void {
      this.setData({ state: 'error', errorText: errorMessage(e, '订单加载失败，请重试') })
    },

    onShow() {
      // Every visit re-reads the list: after a new order, or after logout and a new login.
      void this.load()
    },

    async load(): Promise<void> {
      if (this.data.refreshing) return
      // Keep a shown list while refreshing; otherwise show the loading state.
      if (this.data.state !== 'list') this.setData({ state: 'loading', errorText: '' })
      this.setData({ refreshing: true })
      try {
        const orders = (await listOrders()).map(toOrderView)
        this.setData({ orders, state: orders.length > 0 ? 'list' : 'empty', errorText: '' })
      } catch (e) {
        this.setData({ state: 'error', errorText: errorMessage(e, '订单加载失败，请重试') })
      } finally {
        this.setData({ refreshing: false })
      }
    },

    onOpenOrder(e: WechatMiniprogram.TouchEvent<object, object, { id: string }>) {
      const id = e.currentTarget.dataset.id
      wx.navigateTo({ url: `/pages/order-detail/index?id=${encodeURIComponent(id)}` })
    },

    onGoMenu() {
      wx.switchTab({ url: '/pages/menu/index' })
    },
  },
})
