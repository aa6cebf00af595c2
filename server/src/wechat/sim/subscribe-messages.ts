// The simulated WeChat's one-time subscription messages (wechat-platform.md §6): each `accept`
// the user gives in requestSubscribeMessage allows exactly one subscribe/send of that template
// to that user. A send is refused with the platform's errcodes, checked in this order:
// 40003 no openid, 40037 unknown template, 41030 a page the app does not have, 47003 data that
// does not match the template's fields, 43101 no unused accept.

/** A template as the MP admin console defines it: its title and its data keys (e.g. 'phrase2'). */
export interface SimTemplate {
  title: string
  fields: readonly string[]
}

export interface SimDeliveredMessage {
  touser: string
  templateId: string
  page: string | null
  data: Record<string, string>
  /** Simulated time of delivery (epoch ms). */
  at: number
}

/** The demo app's order-status template, under the id the app and the server use by default. */
export const DEMO_TEMPLATES: Readonly<Record<string, SimTemplate>> = {
  ORDER_STATUS_TEMPLATE_ID: {
    title: '订单状态通知',
    fields: ['character_string1', 'phrase2', 'amount3', 'time4'],
  },
}

/** The pages of miniprogram/app.json. */
export const DEMO_APP_PAGES: readonly string[] = [
  'pages/menu/index',
  'pages/checkout/index',
  'pages/orders/index',
  'pages/order-detail/index',
  'pages/me/index',
  'pages/settings/index',
]

/** Messages kept per user, and users with accepts or messages kept (the oldest go first). */
const MAX_MESSAGES_PER_USER = 100
const MAX_USERS = 10_000

/**
 * Each data key's kind is its name without the trailing number; the value rules are the
 * platform's (subscribe-message docs: thing ≤20 chars, phrase ≤5 Chinese characters,
 * character_string ≤32 letters/digits/symbols, amount ≤10 digits with an optional currency
 * sign and 元, time a date-time).
 */
const VALUE_RULES: Readonly<Record<string, (v: string) => boolean>> = {
  thing: (v) => [...v].length <= 20,
  phrase: (v) => /^[\u4e00-\u9fa5]{1,5}$/.test(v),
  character_string: (v) => /^[\x21-\x7e]{1,32}$/.test(v),
  number: (v) => /^[0-9]{1,32}(\.[0-9]+)?$/.test(v),
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  amount: (v) => /^[¥$€]?[0-9]{1,10}(\.[0-9]{1,2})?元?$/.test(v),
  time: (v) => /^\d{4}[-年]\d{1,2}[-月]\d{1,2}日? \d{1,2}:\d{2}(:\d{2})?$|^\d{1,2}:\d{2}$/.test(v),
  date: (v) => /^\d{4}[-年]\d{1,2}[-月]\d{1,2}日?$/.test(v),
}

function kindOf(key: string): string {
  return key.replace(/\d+$/, '')
}

export interface SendRefusal {
  errcode: number
  errmsg?: string
}

type Json = Record<string, unknown>

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The data's values when they match the template's fields exactly, else the key at fault. */
function checkData(template: SimTemplate, data: unknown): Record<string, string> | { bad: string } {
  if (!isObject(data)) return { bad: 'data' }
  const out: Record<string, string> = {}
  for (const key of Object.keys(data)) {
    if (!template.fields.includes(key)) return { bad: key }
  }
  for (const key of template.fields) {
    const entry = data[key]
    const value = isObject(entry) ? entry.value : undefined
    const rule = VALUE_RULES[kindOf(key)]
    if (typeof value !== 'string' || value === '' || (rule !== undefined && !rule(value))) {
      return { bad: key }
    }
    out[key] = value
  }
  return out
}

export function createSubscribeMessages(opts: {
  templates: Readonly<Record<string, SimTemplate>>
  pages: readonly string[]
  now: () => number
}) {
  /** openid → template id → unused accepts. */
  const accepts = new Map<string, Map<string, number>>()
  const delivered = new Map<string, SimDeliveredMessage[]>()

  function dropOldest<V>(map: Map<string, V>): void {
    while (map.size > MAX_USERS) {
      const oldest = map.keys().next().value
      if (oldest === undefined) break
      map.delete(oldest)
    }
  }

  return {
    accept(openid: string, templateId: string): void {
      const mine = accepts.get(openid) ?? new Map<string, number>()
      mine.set(templateId, (mine.get(templateId) ?? 0) + 1)
      accepts.set(openid, mine)
      dropOldest(accepts)
    },

    /** null when delivered, else the refusal. */
    send(body: Json): SendRefusal | null {
      const touser = body.touser
      if (typeof touser !== 'string' || touser === '') return { errcode: 40003 }
      const templateId = body.template_id
      const template = typeof templateId === 'string' ? opts.templates[templateId] : undefined
      if (typeof templateId !== 'string' || template === undefined) return { errcode: 40037 }
      const page = body.page
      if (page !== undefined) {
        const path = typeof page === 'string' ? page.split('?')[0]!.replace(/^\//, '') : ''
        if (!opts.pages.includes(path)) return { errcode: 41030 }
      }
      const data = checkData(template, body.data)
      if ('bad' in data) {
        return { errcode: 47003, errmsg: `argument invalid! data.${data.bad}.value invalid` }
      }
      const mine = accepts.get(touser)
      const left = mine?.get(templateId) ?? 0
      if (mine === undefined || left <= 0) return { errcode: 43101 }
      mine.set(templateId, left - 1)
      const list = delivered.get(touser) ?? []
      list.push({
        touser,
        templateId,
        page: typeof page === 'string' ? page : null,
        data,
        at: opts.now(),
      })
      if (list.length > MAX_MESSAGES_PER_USER) list.shift()
      delivered.set(touser, list)
      dropOldest(delivered)
      return null
    },

    delivered(openid: string): SimDeliveredMessage[] {
      return (delivered.get(openid) ?? []).map((m) => ({ ...m, data: { ...m.data } }))
    },
  }
}
