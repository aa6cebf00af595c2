// `npm start` runs the server under a shell (npm → sh → node). npm forwards SIGTERM only to its
// direct child, and dash (Debian's sh) neither forwards it nor execs the command, so the shell
// died and the server, re-parented, kept the port (npm/cli issue 5776). Whatever sits between
// npm and the server, losing its launcher means the server was told to stop: it is re-parented,
// which `process.ppid` shows, and shuts down as for SIGTERM.
const CHECK_EVERY_MS = 200

/** Whether this process runs as (part of) an npm script. */
export function startedByNpm(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.npm_lifecycle_event !== undefined
}

/** Calls `onGone` once, when the process that started this one has exited. Returns a stop. */
export function watchLauncher(onGone: () => void): () => void {
  const launcher = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === launcher) return
    clearInterval(timer)
    onGone()
  }, CHECK_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
