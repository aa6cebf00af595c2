// A <swiper> as WeChat's base library lays it out: every swiper-item fills the swiper (absolute,
// 100% × 100%, see base-css.ts) and they sit side by side, each translated by (index − current) ×
// 100% along the swiper's axis, so the one at `current` is in view and the others wait, clipped,
// to its right (below it when `vertical`). WeChat translates one frame holding the items by
// current × −100%; translating each item instead gives the same boxes without an extra element.
// https://developers.weixin.qq.com/miniprogram/dev/component/swiper.html

/** Places the copied swiper's items around the shown one; the index is clamped to the items. */
export function placeSwiperItems(swiper: Element, current: number, vertical: boolean): void {
  const items = [...swiper.children].filter((c) => c.localName === 'wx-swiper-item')
  const shown = Math.min(Math.max(current, 0), Math.max(items.length - 1, 0))
  items.forEach((item, index) => {
    const shift = `${(index - shown) * 100}%`
    const translate = vertical ? `translate(0, ${shift})` : `translate(${shift}, 0)`
    ;(item as HTMLElement).style.setProperty('transform', translate)
  })
}
