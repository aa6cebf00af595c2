// The suite's HTTP client: fetch against the back end under test, every answer recorded so the
// last section can check that no body carried a session_key or a token it should not have.

export interface Answer {
  status: number
  /** Header names lower-cased, as the kit reads them. */
  headers: Record<string, string>
  text: string
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: unknown
}

export interface RecordedAnswer extends Answer {
  method: string
  path: string
}

export interface RequestInit {
  method?: string
  headers?: Record<string, string>
  /** Serialized as JSON, with content-type application/json. */
  body?: unknown
  /** Sent as it is, with content-type application/json (for malformed bodies). */
  rawBody?: string
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export class HttpClient {
  readonly recorded: RecordedAnswer[] = []

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Answer> {
    const method = init.method ?? 'GET'
    const headers: Record<string, string> = { ...this.extraHeaders, ...init.headers }
    let body: string | undefined
    if (init.rawBody !== undefined) body = init.rawBody
    else if (init.body !== undefined) body = JSON.stringify(init.body)
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    })
    const text = await res.text()
    const answer: Answer = {
      status: res.status,
      headers: Object.fromEntries([...res.headers].map(([k, v]) => [k.toLowerCase(), v])),
      text,
      json: parseJson(text),
    }
    this.recorded.push({ ...answer, method, path })
    return answer
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
