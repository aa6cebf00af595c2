// 订单详情: one order (GET /orders/:id, protected), opened from the list, after checkout, or
// from a subscription message (its `page` is this page with ?id=). Shows the status and its
// timeline, re-reads the order on every show and on pull-down (the merchant moves it), and
// offers 取消订单 while the server says the user may cancel.
import { errorMessage } from '../../api/errors'
import { formatPrice, formatTime } from '../../api/format'
import { cancelOrder, getOrder, orderStatusText, type Order } from '../../api/orders'
import { sessionReloadHandlers } from '../common/reload'

type DetailState = 'loading' | 'ready' | 'error'

interface LineView {
  itemId: string
  name: string
  quantity: number
  subtotalText: string
}

interface StepView {
  key: string
  statusText: string
  timeText: string
}

interface DetailView {
  id: string
  status: string
  statusText: string
  timeText: string
  address: string
  note: string
  totalText: string
  lines: LineView[]
  /** Newest first, as users read a history. */
  steps: StepView[]
  cancellable: boolean
}

const statusCodeOf = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number'
    ? e.statusCode
    : undefined

function toDetailView(o: Order): DetailView {
  const lines = Array.isArray(o.items) ? o.items : []
  const timeline = Array.isArray(o.timeline) ? o.timeline : []
  return {
    id: o.id,
    status: o.status,
    statusText: orderStatusText(o.status),
    timeText: formatTime(o.createdAt),
    address: o.address ?? '',
    note: o.remark ?? '',
    totalText: formatPrice(o.total),
    lines: lines.map((l) => ({
      itemId: l.itemId,
      name: l.name,
      quantity: l.quantity,
      subtotalText: formatPrice(l.price * l.quantity),
    })),
    steps: timeline
      .map((step, i) => ({
        key: `${i}-${step.status}`,
        statusText: orderStatusText(step.status),
        timeText: formatTime(step.at),
      }))
      .reverse(),
    cancellable: o.cancellable === true,
  }
}

Component({
  data: {
    id: '',
    state: 'loading' as DetailState,
    errorText: '',
    order: null as DetailView | null,
    cancelling: false,
  },

  methods: {
    // onPullDownRefresh, onRetry: auth.ensureLogin() (a user's action re-arms the kit), then load().
    ...sessionReloadHandlers,

    showLoadError(e: unknown): void {
      this.setData({ state: 'error', errorText: errorMessage(e, '订单加载失败，请重试') })
    },

    onLoad(query: Record<string, string | undefined>) {
      const id = query.id ? decodeURIComponent(query.id) : ''
      this.setData({ id })
      void this.load()
    },

    /** Back on the page (from the list, WeChat, a notification): the status may have moved. */
    onShow() {
      // The first show follows onLoad, which is loading already.
      if (this.data.id && this.data.state !== 'loading') void this.load()
    },

    async load(): Promise<void> {
      if (!this.data.id) {
        this.setData({ state: 'error', errorText: '订单不存在' })
        return
      }
      // A shown order stays on screen while it is re-read.
      if (this.data.order === null) this.setData({ state: 'loading', errorText: '' })
      try {
        const o = await getOrder(this.data.id)
        this.setData({ state: 'ready', errorText: '', order: toDetailView(o) })
      } catch (e) {
        this.setData({
          state: 'error',
          order: null,
          errorText:
            statusCodeOf(e) === 404 ? '订单不存在' : errorMessage(e, '订单加载失败，请重试'),
        })
      }
    },

    /** 取消订单: asks first, then POST /orders/:id/cancel. */
    onCancel() {
      if (this.data.cancelling || !this.data.order?.cancellable) return
      wx.showModal({
        title: '取消订单',
        content: '确定取消这个订单吗？',
        confirmText: '取消订单',
        cancelText: '再想想',
        success: (res) => {
          if (res.confirm) void this.cancel()
        },
      })
    },

    async cancel(): Promise<void> {
      this.setData({ cancelling: true })
      try {
        const o = await cancelOrder(this.data.id)
        this.setData({ order: toDetailView(o) })
        wx.showToast({ title: '订单已取消', icon: 'success' })
      } catch (e) {
        const changed = statusCodeOf(e) === 409
        wx.showToast({
          title: changed ? '订单状态已变化，无法取消' : errorMessage(e, '取消失败，请重试'),
          icon: 'none',
        })
        if (changed) await this.load()
      } finally {
        this.setData({ cancelling: false })
      }
    },
  },
})
