// 结算: cart lines and total, the delivery address (map, with the location scope asked only now,
// or typed by hand), and placing the order. The order goes with auth 'required' (the first one
// logs in silently) and an Idempotency-Key made once per checkout attempt and kept across retries,
// so a retry after a network failure can never create a second order.
import { ComponentWithStore } from 'mobx-miniprogram-bindings'
import { auth } from '../../api/client'
import { errorCode, errorMessage } from '../../api/errors'
import { formatPrice } from '../../api/format'
import { newIdempotencyKey, placeOrder } from '../../api/orders'
import type { DeliveryAddress, Order } from '../../api/orders'
import { cart, syncCartBadge } from '../../stores/cart'
import { ORDER_STATUS_TEMPLATE_IDS } from '../../config'
import type { SubscriptionState } from 'wx-login-kit'
import { reportSubscriptions } from '../../api/subscriptions'

interface LineView {
  itemId: string
  name: string
  quantity: number
  priceText: string
  subtotalText: string
}

interface PlacedView {
  id: string
  totalText: string
}

/**
 * The subscribe button's outcome: 'rejected' (now or permanently) and 'off' (the user turned the
 * messages off) offer WeChat's settings page; 'unavailable' (the template is banned or filtered,
 * or the platform refused the app) is the developer's problem, so the user sees no nag at all.
 */
type SubscribeState = 'idle' | 'asking' | 'accepted' | 'rejected' | 'off' | 'unavailable' | 'failed'

/** What the page shows after the user answered the subscription panel (or WeChat did). */
const subscribeStateOf = (answers: SubscriptionState[]): SubscribeState =>
  answers.includes('accept')
    ? 'accepted'
    : answers.includes('reject')
      ? 'rejected'
      : answers.length > 0
        ? 'unavailable' // every template banned or filtered
        : 'failed'

/** A failed requestSubscribe, by the kit's error code. */
const subscribeFailureState = (e: unknown): SubscribeState => {
  const code = errorCode(e)
  return code === 'subscribe_off'
    ? 'off'
    : code === 'subscribe_unavailable' || code === 'privacy_undeclared'
      ? 'unavailable'
      : 'failed'
}

const LOCATION_REASON = '需要你的位置来选择配送地址'
const MIN_ADDRESS_LENGTH = 5

ComponentWithStore({
  storeBindings: {
    store: cart,
    fields: {
      lines: (): LineView[] =>
        cart.lines.map((l) => ({
          itemId: l.itemId,
          name: l.name,
          quantity: l.quantity,
          priceText: formatPrice(l.price),
          subtotalText: formatPrice(l.price * l.quantity),
        })),
      cartCount: () => cart.count,
      totalText: () => formatPrice(cart.total),
    },
    actions: {},
  },

  data: {
    /** Bound from the cart store. */
    lines: [] as LineView[],
    cartCount: 0,
    totalText: formatPrice(0),

    /** The address chosen on the map, or null. */
    location: null as DeliveryAddress | null,
    locating: false,
    /** Shown when the user prefers (or has to) type the address. */
    manualMode: false,
    manualAddress: '',
    note: '',
    addressHint: '',

    placing: false,
    errorText: '',
    /** Made on the first submit of this attempt; reused by every retry until the order is placed. */
    orderKey: '',
    placed: null as PlacedView | null,
    subscribeState: 'idle' as SubscribeState,
  },

  methods: {
    onLoad() {
      this.setData({ placed: null, errorText: '', orderKey: '' })
    },

    onShow() {
      // The user may have changed the location permission in settings meanwhile.
      void auth.refreshScopes().catch(() => undefined)
    },

    async onChooseLocation(): Promise<void> {
      if (this.data.locating) return
      this.setData({ locating: true, addressHint: '' })
      try {
        const granted = await auth.ensureScope('scope.userLocation', { reason: LOCATION_REASON })
        if (!granted) {
          // The auth-sheet explained the refusal; typing the address always works.
          this.setData({ manualMode: true, addressHint: '未获得位置权限，请手动填写配送地址' })
          return
        }
        const here = await wx
          .getLocation({ type: 'gcj02' })
          .then((r) => ({ latitude: r.latitude, longitude: r.longitude }))
          .catch(() => null)
        const picked = await wx.chooseLocation(here ?? {})
        this.setData({
          location: {
            address: picked.address || picked.name,
            name: picked.name,
            latitude: picked.latitude,
            longitude: picked.longitude,
          },
          manualMode: false,
        })
      } catch (e) {
        // chooseLocation cancelled, or a privacy refusal: keep what was there, offer typing.
        const errMsg = typeof e === 'object' && e !== null && 'errMsg' in e ? String(e.errMsg) : ''
        if (!errMsg.includes('cancel')) {
          this.setData({ addressHint: errorMessage(e, '定位失败，请手动填写配送地址') })
        }
      } finally {
        this.setData({ locating: false })
      }
    },

    onTypeAddress() {
      this.setData({ manualMode: true, addressHint: '' })
    },

    onAddressInput(e: WechatMiniprogram.Input) {
      this.setData({ manualAddress: e.detail.value, addressHint: '' })
    },

    onNoteInput(e: WechatMiniprogram.Input) {
      this.setData({ note: e.detail.value })
    },

    deliveryAddress(): DeliveryAddress | null {
      if (this.data.manualMode) {
        const text = this.data.manualAddress.trim()
        return text.length >= MIN_ADDRESS_LENGTH ? { address: text } : null
      }
      return this.data.location
    },

    async onSubmit(): Promise<void> {
      if (this.data.placing) return
      if (cart.count === 0) {
        this.setData({ errorText: '购物车是空的' })
        return
      }
      const address = this.deliveryAddress()
      if (!address) {
        this.setData({
          addressHint: this.data.manualMode
            ? `请填写完整的配送地址（至少 ${MIN_ADDRESS_LENGTH} 个字）`
            : '请选择或填写配送地址',
        })
        return
      }
      // One key per checkout attempt: created once, kept across retries.
      const orderKey = this.data.orderKey || newIdempotencyKey()
      const isRetry = this.data.errorText !== ''
      this.setData({ placing: true, errorText: '', orderKey })
      try {
        // 重新提交 is the user's retry: ensureLogin() re-arms the kit (its loop breaker) first.
        // The first submit skips it, so a cold order still logs in within its own round trip.
        if (isRetry) await auth.ensureLogin()
        const note = this.data.note.trim()
        const order: Order = await placeOrder(
          {
            items: cart.lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity })),
            address,
            ...(note ? { note } : {}),
          },
          orderKey,
        )
        cart.clear()
        syncCartBadge(0)
        this.setData({
          placed: { id: order.id, totalText: formatPrice(order.total) },
          orderKey: '',
          placing: false,
          subscribeState: 'idle',
        })
      } catch (e) {
        this.setData({ placing: false, errorText: errorMessage(e, '下单失败，请重试') })
      }
    },

    /** From the user's tap (requestSubscribeMessage needs one). */
    onSubscribe() {
      // requestSubscribe first, before anything else: it needs the tap gesture.
      const asked = auth.requestSubscribe(ORDER_STATUS_TEMPLATE_IDS, {
        reason: '开启后，订单状态变化时会通过微信通知你',
      })
      this.setData({ subscribeState: 'asking' })
      asked
        .then((result) => {
          const answers = ORDER_STATUS_TEMPLATE_IDS.map((id) => result[id]).filter(
            (a): a is SubscriptionState => a !== undefined,
          )
          this.setData({ subscribeState: subscribeStateOf(answers) })
          // The server sends one message per accept it hears of: tell it every answer.
          reportSubscriptions(result).catch((e: unknown) =>
            console.warn('[subscribe] could not report the answers to the server', e),
          )
        })
        .catch((e: unknown) => this.setData({ subscribeState: subscribeFailureState(e) }))
    },

    /** Back from WeChat's settings page (the tap-bound openSetting button): re-read the choice. */
    onSubscribeSettings(e: WechatMiniprogram.ButtonOpenSetting) {
      const setting = e.detail.subscriptionsSetting as
        { mainSwitch?: boolean; itemSettings?: Record<string, string> } | undefined
      const accepted = ORDER_STATUS_TEMPLATE_IDS.every(
        (id) => setting?.mainSwitch !== false && setting?.itemSettings?.[id] === 'accept',
      )
      // Accepted for good in settings: no need to ask again. Otherwise the button stays.
      if (accepted) this.setData({ subscribeState: 'accepted' })
      void auth.refreshScopes()
    },

    onViewOrder() {
      const placed = this.data.placed
      if (placed)
        wx.redirectTo({ url: `/pages/order-detail/index?id=${encodeURIComponent(placed.id)}` })
    },

    onBackToMenu() {
      wx.switchTab({ url: '/pages/menu/index' })
    },
  },
})
