// 订单详情: one order (GET /orders/:id, protected), opened from the list or after checkout.
import { errorMessage } from '../../api/errors'
import { formatPrice, formatTime } from '../../api/format'
import { getOrder, orderStatusText } from '../../api/orders'
import { sessionReloadHandlers } from '../common/reload'

type DetailState = 'loading' | 'ready' | 'error'

interface LineView {
  itemId: string
  name: string
  quantity: number
  subtotalText: string
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
}

Component({
  data: {
    id: '',
    state: 'loading' as DetailState,
    errorText: '',
    order: null as DetailView | null,
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

    async load(): Promise<void> {
      if (!this.data.id) {
        this.setData({ state: 'error', errorText: '订单不存在' })
        return
      }
      this.setData({ state: 'loading', errorText: '' })
      try {
        const o = await getOrder(this.data.id)
        const lines = Array.isArray(o.items) ? o.items : []
        this.setData({
          state: 'ready',
          order: {
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
          },
        })
      } catch (e) {
        const notFound =
          typeof e === 'object' && e !== null && 'statusCode' in e && e.statusCode === 404
        this.setData({
          state: 'error',
          errorText: notFound ? '订单不存在' : errorMessage(e, '订单加载失败，请重试'),
        })
      }
    },
  },
})
