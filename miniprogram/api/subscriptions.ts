// POST /me/subscriptions: each requestSubscribeMessage result goes to the server, which counts
// one send credit per 'accept' of the order-status template (one message per accept).
import type { SubscriptionState } from 'wx-login-kit'
import { auth } from './client'

const ANSWERS: ReadonlySet<string> = new Set<SubscriptionState>([
  'accept',
  'reject',
  'ban',
  'filter',
])

export async function reportSubscriptions(
  result: Readonly<Record<string, string | undefined>>,
): Promise<{ credits: number }> {
  const results: Record<string, string> = {}
  for (const [id, answer] of Object.entries(result)) {
    if (answer !== undefined && ANSWERS.has(answer)) results[id] = answer
  }
  const res = await auth.request<{ credits: number }>({
    url: '/me/subscriptions',
    method: 'POST',
    data: { results },
    auth: 'required',
  })
  return res.data
}
