// The miniprogram-automator wire format (see docs/test-tooling.md §1): requests
// {id, method, params}, responses {id, result} or {id, error: {message}}, events {method, params}.
// Params arrive as untyped JSON, so every handler reads them through these validators.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

export interface Request {
  id: string
  method: string
  params: Record<string, unknown>
}

/** A handler's failure, sent back as `{error: {message}}`. */
export class ProtocolError extends Error {}

export type Handler = (params: Params) => unknown

export type HandlerTable = Record<string, Handler>

export function parseRequest(raw: string): Request | undefined {
  let msg: unknown
  try {
    msg = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (typeof msg !== 'object' || msg === null) return undefined
  const m = msg as Record<string, unknown>
  if (typeof m.id !== 'string' && typeof m.id !== 'number') return undefined
  if (typeof m.method !== 'string') return undefined
  const params =
    typeof m.params === 'object' && m.params !== null ? (m.params as Record<string, unknown>) : {}
  return { id: String(m.id), method: m.method, params }
}

export class Params {
  constructor(
    readonly method: string,
    readonly raw: Record<string, unknown>,
  ) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null
  }

  string(name: string): string {
    const v = this.raw[name]
    if (typeof v !== 'string')
      throw new ProtocolError(`${this.method}: param "${name}" must be a string`)
    return v
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined
  }

  number(name: string): number {
    const v = this.raw[name]
    if (typeof v !== 'number')
      throw new ProtocolError(`${this.method}: param "${name}" must be a number`)
    return v
  }

  array(name: string): unknown[] {
    const v = this.raw[name]
    if (v === undefined || v === null) return []
    if (!Array.isArray(v))
      throw new ProtocolError(`${this.method}: param "${name}" must be an array`)
    return v as unknown[]
  }

  strings(name: string): string[] {
    const a = this.array(name)
    if (!a.every((x): x is string => typeof x === 'string')) {
      throw new ProtocolError(`${this.method}: param "${name}" must be an array of strings`)
    }
    return a
  }

  object(name: string): Record<string, unknown> {
    const v = this.raw[name]
    if (v === undefined || v === null) return {}
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw new ProtocolError(`${this.method}: param "${name}" must be an object`)
    }
    return v as Record<string, unknown>
  }
}

export function unsupported(method: string, why?: string): ProtocolError {
  return new ProtocolError(
    `${method} is not supported by the headless runtime${why ? `: ${why}` : ''}`,
  )
}

/** Values sent back must survive JSON (functions, cycles, undefined are dropped or nulled). */
export function toJson(value: unknown): unknown {
  if (value === undefined) return null
  const seen = new WeakSet<object>()
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'function') return undefined
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]'
        seen.add(v)
      }
      return v
    }) ?? 'null',
  ) as unknown
}
