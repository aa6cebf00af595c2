// ContextElement.callContextMethod on a <video>: the VideoContext methods, answered as the player
// would: each changes the player's state and fires the event WeChat's <video> fires for it
// (bindplay, bindpause, bindseekcomplete, bindfullscreenchange, bindratechange).
// https://developers.weixin.qq.com/miniprogram/dev/api/media/video/VideoContext.html
import type { Exparser, ExparserNode } from '../runtime/exparser'
import { fireEvent } from '../runtime/events'
import { tagName } from '../runtime/tree'
import { ProtocolError } from './protocol'

interface Player {
  playing: boolean
  position: number
  rate: number
  fullScreen: boolean
}

const players = new WeakMap<ExparserNode, Player>()

function playerOf(node: ExparserNode): Player {
  let p = players.get(node)
  if (!p) {
    p = { playing: false, position: 0, rate: 1, fullScreen: false }
    players.set(node, p)
  }
  return p
}

/** Methods with no visible effect headless (danmu, status bar, picture-in-picture, casting). */
const QUIET = new Set([
  'sendDanmu',
  'showStatusBar',
  'hideStatusBar',
  'requestPictureInPicture',
  'exitPictureInPicture',
  'requestBackgroundPlayback',
  'exitBackgroundPlayback',
  'startCasting',
  'exitCasting',
  'reconnectCasting',
  'switchCasting',
])

export function videoContextMethod(
  ex: Exparser,
  node: ExparserNode,
  method: string,
  args: unknown[],
): unknown {
  if (tagName(node) !== 'video')
    throw new ProtocolError(`callContextMethod: element is a ${tagName(node)}, not a video`)
  const player = playerOf(node)
  const fire = (type: string, detail: Record<string, unknown> = {}): void =>
    fireEvent(ex, node, type, detail, { bubbles: false })
  switch (method) {
    case 'play':
      if (!player.playing) fire('play')
      player.playing = true
      return null
    case 'pause':
      if (player.playing) fire('pause')
      player.playing = false
      return null
    case 'stop':
      if (player.playing) fire('pause')
      player.playing = false
      player.position = 0
      return null
    case 'seek': {
      const position = Number(args[0] ?? 0)
      player.position = Number.isFinite(position) ? Math.max(0, position) : 0
      fire('seekcomplete', { position: player.position })
      return null
    }
    case 'playbackRate': {
      const rate = Number(args[0] ?? 1)
      player.rate = Number.isFinite(rate) ? rate : 1
      fire('ratechange', { playbackRate: player.rate })
      return null
    }
    case 'requestFullScreen': {
      const o = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as {
        direction?: unknown
      }
      player.fullScreen = true
      fire('fullscreenchange', {
        fullScreen: true,
        direction: o.direction === 0 ? 'vertical' : 'horizontal',
      })
      return null
    }
    case 'exitFullScreen':
      if (player.fullScreen) fire('fullscreenchange', { fullScreen: false, direction: 'vertical' })
      player.fullScreen = false
      return null
    default:
      if (QUIET.has(method)) return null
      throw new ProtocolError(`VideoContext.${method} not exists`)
  }
}
