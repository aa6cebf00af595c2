// One protected call (auth: 'required' logs in silently on first use), one permission asked
// through the kit (a refusal is re-prompted by <auth-sheet>), and a privacy API (getLocation)
// whose agreement <privacy-popup> collects.
const { getAuth, errorMessage } = require('wx-login-kit')

Page({
  data: { ordersText: '', locationText: '' },

  onOrders() {
    this.setData({ ordersText: '加载中…' })
    getAuth()
      .request({ url: '/orders', auth: 'required' })
      .then((res) => this.setData({ ordersText: `已登录，共 ${res.data.orders.length} 个订单` }))
      .catch((e) => this.setData({ ordersText: errorMessage(e) }))
  },

  onLocation() {
    getAuth()
      .ensureScope('scope.userLocation', { reason: '用于查找附近的门店' })
      .then((granted) => {
        if (!granted) {
          this.setData({ locationText: '未获得位置权限，可以稍后再试' })
          return
        }
        wx.getLocation({
          type: 'gcj02',
          success: (loc) =>
            this.setData({
              locationText: `已获取位置：${loc.latitude.toFixed(2)}, ${loc.longitude.toFixed(2)}`,
            }),
          fail: () => this.setData({ locationText: '暂时无法获取位置' }),
        })
      })
      .catch((e) => this.setData({ locationText: errorMessage(e) }))
  },
})
