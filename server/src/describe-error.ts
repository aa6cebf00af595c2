// A start-up failure, told by its real cause. The outer error often says little ("database
// migration failed"), and a refused connection to a dual-stack host is an AggregateError with an
// empty message: the operator needs the whole chain, with error codes, in one place.
const MAX_DEPTH = 6

function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as { code?: unknown }).code
  const text = err.message !== '' ? err.message : err.name
  return typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text
}

/** The error, its causes and, for an AggregateError, each of its errors, one per line. */
export function describeError(err: unknown): string {
  const lines: string[] = []
  const visit = (e: unknown, depth: number, prefix: string): void => {
    if (depth > MAX_DEPTH) return
    lines.push(`${'  '.repeat(depth)}${prefix}${oneLine(e)}`)
    if (!(e instanceof Error)) return
    if (e instanceof AggregateError) {
      for (const inner of e.errors) visit(inner, depth + 1, '- ')
    }
    if (e.cause !== undefined) visit(e.cause, depth + 1, 'caused by: ')
  }
  visit(err, 0, '')
  return lines.join('\n')
}
