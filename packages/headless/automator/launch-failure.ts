// When the runtime cannot start, automator.launch() would only notice that the CLI exited, wait
// 15 s and say "please make sure http port is open" (miniprogram-automator's Launcher). So the
// CLI briefly answers on the automation port instead: the client connects (it polls every
// second), its first call (Tool.getInfo, from checkVersion) gets the real cause as the error, and
// launch() rejects with it at once. The CLI exits as soon as that answer is sent, or after
// `graceMs` when nobody comes (e.g. when run by hand).
import { WebSocketServer } from 'ws'

export async function answerLaunchFailure(
  port: number,
  message: string,
  graceMs = 5_000,
): Promise<void> {
  let wss: WebSocketServer
  try {
    wss = await new Promise<WebSocketServer>((resolve, reject) => {
      const server: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port }, (): void =>
        resolve(server),
      )
      server.on('error', reject)
    })
  } catch {
    return // the port is taken: nothing more to say than stderr already said
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, graceMs)
    wss.on('connection', (socket) => {
      socket.on('message', (raw: Buffer) => {
        let id: unknown
        try {
          id = (JSON.parse(raw.toString()) as { id?: unknown }).id
        } catch {
          return
        }
        socket.send(JSON.stringify({ id, error: { message } }), () => {
          clearTimeout(timer)
          resolve()
        })
      })
    })
  })
  for (const client of wss.clients) client.terminate()
  await new Promise<void>((resolve) => wss.close(() => resolve()))
}
