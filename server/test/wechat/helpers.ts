// Shared helpers of the WeChat tests: a pino logger that records every line, typed rejections.
import pino, { type Logger } from 'pino'
import { WeChatApiError } from '../../src/wechat/types'

export interface CapturedLog {
  log: Logger
  lines: string[]
  text(): string
}

export function captureLog(): CapturedLog {
  const lines: string[] = []
  const log = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(line)
      },
    },
  )
  return { log, lines, text: () => lines.join('') }
}

/** Lets pending promise callbacks run (no timers involved). */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

/** The WeChatApiError `p` rejects with (anything else fails the test). */
export async function failure(p: Promise<unknown>): Promise<WeChatApiError> {
  try {
    await p
  } catch (e) {
    if (e instanceof WeChatApiError) return e
    throw e
  }
  throw new Error('expected a WeChatApiError')
}
