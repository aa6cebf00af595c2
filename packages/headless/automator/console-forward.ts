// App.enableLog / App.logAdded: the mini-program's console output goes to the client. The
// runtime and the app share one process, so console is wrapped once; the runtime's own
// diagnostics go to process.stderr directly and never pass through here.
import { toJson } from './protocol'

const LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const
type Level = (typeof LEVELS)[number]

type Sink = (type: Level, args: unknown[]) => void

const sinks = new Set<Sink>()
let installed = false

export function forwardConsole(sink: Sink): () => void {
  if (!installed) {
    installed = true
    for (const level of LEVELS) {
      const original = console[level].bind(console)
      console[level] = (...args: unknown[]) => {
        original(...args)
        for (const s of sinks) {
          try {
            s(
              level,
              args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : toJson(a))),
            )
          } catch {
            // a broken sink must never break the app's logging
          }
        }
      }
    }
  }
  sinks.add(sink)
  return () => sinks.delete(sink)
}
