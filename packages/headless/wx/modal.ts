// showModal (a 'modal' dialog: confirm/cancel), showToast/hideToast, showLoading/hideLoading.
// Toasts hide themselves after `duration` on ctx.clock.
import { wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'

export interface ToastState {
  title: string
  icon: string
  mask: boolean
}

export function modalApis(ctx: FakeWxContext) {
  let toast: ToastState | null = null
  let loading: { title: string; mask: boolean } | null = null
  let timer: number | undefined

  const wx = {
    showModal: wxAsync(
      'showModal',
      async (o: {
        title?: string
        content?: string
        showCancel?: boolean
        cancelText?: string
        confirmText?: string
        editable?: boolean
        placeholderText?: string
      }) => {
        const a = await ctx.dialogs.open('modal', 'showModal', {
          title: o.title ?? '',
          content: o.content ?? '',
          showCancel: o.showCancel ?? true,
          cancelText: o.cancelText ?? '取消',
          confirmText: o.confirmText ?? '确定',
        })
        const confirm = a === 'confirm'
        return o.editable
          ? { confirm, cancel: !confirm, content: '' }
          : { confirm, cancel: !confirm }
      },
    ),
    showToast: wxAsync(
      'showToast',
      async (o: { title: string; icon?: string; duration?: number; mask?: boolean }) => {
        ctx.clock.clearTimeout(timer!)
        loading = null // one toast or loading at a time
        toast = { title: o.title, icon: o.icon ?? 'success', mask: !!o.mask }
        timer = ctx.clock.setTimeout(() => (toast = null), o.duration ?? 1500)
        return {}
      },
    ),
    hideToast: wxAsync('hideToast', async (_o: object) => {
      ctx.clock.clearTimeout(timer!)
      toast = null
      return {}
    }),
    showLoading: wxAsync('showLoading', async (o: { title: string; mask?: boolean }) => {
      ctx.clock.clearTimeout(timer!)
      toast = null
      loading = { title: o.title, mask: !!o.mask }
      return {}
    }),
    hideLoading: wxAsync('hideLoading', async (_o: object) => {
      loading = null
      return {}
    }),
  }
  const control = {
    /** The toast on screen, if any. */
    get toast(): ToastState | null {
      return toast
    },
    /** The loading indicator on screen, if any. */
    get loading(): { title: string; mask: boolean } | null {
      return loading
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
