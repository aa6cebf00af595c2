// Default rendering of the wx-* built-ins (simulate renders them as bare custom elements), close
// to WeChat's own user-agent styles. `[hidden]` hides as the base library's rule does: a class that
// sets display (say display: flex) on the same element wins over it, a known WeChat pitfall. Injected into the runtime's document, so getStyles() and
// screenshots both see it.
export const BASE_CSS = `
html, body { margin: 0; padding: 0; background: #f6f6f6; }
body { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Helvetica Neue", sans-serif;
  font-size: 16px; color: #000; width: 375px; }
.headless-nav { height: 44px; line-height: 44px; text-align: center; font-weight: 600; font-size: 17px;
  background: #fff; border-bottom: 1px solid #eee; }
.headless-page[style*="display: none"] { display: none; }
[hidden] { display: none; }
wx-view, wx-form, wx-scroll-view, wx-cover-view, wx-page-container,
wx-root-portal, wx-navigator, wx-label, wx-radio-group, wx-checkbox-group, wx-picker, wx-map { display: block; }
wx-text, wx-rich-text { display: inline; }
wx-icon { display: inline-block; width: 23px; height: 23px; vertical-align: middle; }
wx-image { display: inline-block; width: 320px; height: 240px; background: #e5e5e5; overflow: hidden; }
wx-button { display: block; position: relative; box-sizing: border-box; margin: 8px auto; padding: 0 14px;
  font-size: 18px; text-align: center; line-height: 2.55555556; border-radius: 5px; color: #000;
  background: #f8f8f8; border: 1px solid rgba(0, 0, 0, 0.2); overflow: hidden; }
wx-button[size="mini"] { display: inline-block; line-height: 2.3; font-size: 13px; padding: 0 1.34em; }
wx-input, wx-textarea { display: block; min-height: 1.4rem; line-height: 1.4rem; padding: 2px 0;
  border-bottom: 1px solid #ddd; }
wx-input::before, wx-textarea::before { content: attr(data-headless-value); }
wx-input[data-headless-empty]::before, wx-textarea[data-headless-empty]::before {
  content: attr(data-headless-placeholder); color: #999; }
wx-switch, wx-checkbox, wx-radio { display: inline-block; }
wx-slider, wx-progress { display: block; }
wx-swiper { display: block; position: relative; overflow: hidden; height: 150px; }
wx-swiper-item { display: block; position: absolute; top: 0; left: 0; width: 100%; height: 100%;
  overflow: hidden; }
wx-scroll-view { overflow: hidden; scrollbar-width: none; }
wx-scroll-view[scroll-x] { overflow-x: auto; }
wx-scroll-view[scroll-y] { overflow-y: auto; }
wx-movable-area { display: block; position: relative; width: 10px; height: 10px; }
wx-movable-view { display: block; position: absolute; top: 0; left: 0; width: 10px; height: 10px; }
wx-video { display: inline-block; width: 300px; height: 225px; background: #000; }
`

export function injectBaseCss(doc: Document): void {
  if (doc.getElementById('headless-base-css')) return
  const style = doc.createElement('style')
  style.id = 'headless-base-css'
  style.textContent = BASE_CSS
  doc.head.prepend(style)
}
