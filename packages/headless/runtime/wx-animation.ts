// wx.createAnimation(): a chainable description of an animation, grouped by step() and handed to a
// view's `animation` attribute through export(). The exported shape is the base library's:
// { actions: [{ animates: [{ type, args }], option: { transition, transformOrigin } }] }.
// https://developers.weixin.qq.com/miniprogram/dev/api/ui/animation/Animation.html
interface Animate {
  type: string
  args: unknown[]
}

interface StepOption {
  duration: number
  timingFunction: string
  delay: number
  transformOrigin: string
}

interface Action {
  animates: Animate[]
  option: {
    transition: { duration: number; timingFunction: string; delay: number }
    transformOrigin: string
  }
}

const STYLE_METHODS = [
  'opacity',
  'backgroundColor',
  'width',
  'height',
  'top',
  'left',
  'bottom',
  'right',
] as const

const TRANSFORM_METHODS = [
  'rotate',
  'rotateX',
  'rotateY',
  'rotateZ',
  'rotate3d',
  'scale',
  'scaleX',
  'scaleY',
  'scaleZ',
  'scale3d',
  'translate',
  'translateX',
  'translateY',
  'translateZ',
  'translate3d',
  'skew',
  'skewX',
  'skewY',
  'matrix',
  'matrix3d',
] as const

export type Animation = Record<(typeof STYLE_METHODS)[number], (v: unknown) => Animation> &
  Record<(typeof TRANSFORM_METHODS)[number], (...args: unknown[]) => Animation> & {
    step(o?: Partial<StepOption>): Animation
    export(): { actions: Action[] }
  }

function option(defaults: StepOption, o: Partial<StepOption> = {}): StepOption {
  return { ...defaults, ...o }
}

export function createAnimation(o: Record<string, unknown> = {}): Animation {
  const defaults = option(
    { duration: 400, timingFunction: 'linear', delay: 0, transformOrigin: '50% 50% 0' },
    o as Partial<StepOption>,
  )
  let current: Animate[] = []
  let actions: Action[] = []
  const self = {} as Animation
  for (const name of STYLE_METHODS) {
    self[name] = (v: unknown) => {
      current.push({
        type: 'style',
        args: [name, typeof v === 'number' && name !== 'opacity' ? `${v}px` : v],
      })
      return self
    }
  }
  for (const name of TRANSFORM_METHODS) {
    self[name] = (...args: unknown[]) => {
      current.push({ type: name, args })
      return self
    }
  }
  self.step = (stepOption?: Partial<StepOption>) => {
    const opt = option(defaults, stepOption)
    actions.push({
      animates: current,
      option: {
        transition: {
          duration: opt.duration,
          timingFunction: opt.timingFunction,
          delay: opt.delay,
        },
        transformOrigin: opt.transformOrigin,
      },
    })
    current = []
    return self
  }
  // export() hands the steps over and starts a new queue, as the base library does.
  self.export = () => {
    const out = { actions }
    actions = []
    return out
  }
  return self
}
