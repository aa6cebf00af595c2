// Page() → Component(): in WeChat a page may be declared with Page({ data, onLoad, handlers … })
// or with Component({ methods: { onLoad … } }). The runtime drives both the same way, so Page()
// options are turned into a component definition whose methods hold every function.

const RESERVED = new Set(['data', 'behaviors', 'options', 'externalClasses'])

export function pageToComponent(options: Record<string, unknown>): Record<string, unknown> {
  const methods: Record<string, unknown> = {}
  const extras: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (RESERVED.has(key)) continue
    if (typeof value === 'function') methods[key] = value
    else extras[key] = value
  }
  const definition: Record<string, unknown> = {
    data: options.data ?? {},
    methods,
    lifetimes: {
      // Page() copies non-function fields onto the page instance.
      created(this: Record<string, unknown>) {
        Object.assign(this, structuredCloneSafe(extras))
      },
    },
  }
  if (options.behaviors !== undefined) definition.behaviors = options.behaviors
  if (options.options !== undefined) definition.options = options.options
  return definition
}

function structuredCloneSafe(value: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(value)
  } catch {
    return { ...value }
  }
}
