// app.json `themeLocation` (DarkMode 适配): window, tabBar and page .json values written as
// `@name` are variables looked up in the theme file's `light` or `dark` table. The runtime's device
// reports theme 'light' (getAppBaseInfo), so the `light` table applies; a value whose variable is
// missing stays as written, as DevTools shows it.
import fs from 'node:fs'
import path from 'node:path'

export type ThemeVariables = Record<string, string>

export function readThemeVariables(
  root: string,
  themeLocation: unknown,
  theme: 'light' | 'dark' = 'light',
): ThemeVariables {
  if (typeof themeLocation !== 'string' || themeLocation === '') return {}
  const file = path.join(root, themeLocation.replace(/^\/+/, ''))
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
  const table = (parsed as Record<string, unknown> | null)?.[theme]
  const out: ThemeVariables = {}
  if (typeof table !== 'object' || table === null) return out
  for (const [name, value] of Object.entries(table as Record<string, unknown>))
    if (typeof value === 'string') out[name] = value
  return out
}

/** A copy of `value` with every `@name` string replaced by its theme variable. */
export function applyThemeVariables<T>(value: T, variables: ThemeVariables): T {
  if (typeof value === 'string') {
    const name = value.startsWith('@') ? value.slice(1) : undefined
    return (name !== undefined && name in variables ? variables[name] : value) as T
  }
  if (Array.isArray(value)) return value.map((v: unknown) => applyThemeVariables(v, variables)) as T
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = applyThemeVariables(v, variables)
    return out as T
  }
  return value
}
