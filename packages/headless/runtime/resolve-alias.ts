// app.json `resolveAlias`: path mappings for `require` (and usingComponents), e.g.
// { "@/*": "/*", "@utils/*": "utils/*" }. As documented for app.json (配置 resolveAlias): keys
// and values end with `/*`, values are paths from the miniprogram root, and when several keys
// match a request the longest one wins.

export type ResolveAlias = Record<string, string>

export function readResolveAlias(value: unknown, file: string): ResolveAlias {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${file}: "resolveAlias" must be an object`)
  const out: ResolveAlias = {}
  for (const [key, target] of Object.entries(value as Record<string, unknown>)) {
    if (typeof target !== 'string' || !key.endsWith('/*') || !target.endsWith('/*'))
      throw new Error(`${file}: resolveAlias "${key}" and its value must both end with "/*"`)
    out[key] = target
  }
  return out
}

/** The request rewritten to a root-absolute path ('/utils/x'), or undefined when no key matches. */
export function applyResolveAlias(aliases: ResolveAlias, request: string): string | undefined {
  let best: string | undefined
  for (const key of Object.keys(aliases)) {
    const prefix = key.slice(0, -1)
    if (request.startsWith(prefix) && (best === undefined || key.length > best.length)) best = key
  }
  if (best === undefined) return undefined
  const target = aliases[best]!.slice(0, -1)
  const rest = request.slice(best.length - 1)
  return `/${target.replace(/^\/+/, '')}${rest}`
}
