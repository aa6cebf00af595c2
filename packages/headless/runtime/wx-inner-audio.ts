// wx.createInnerAudioContext(): an audio player that keeps WeChat's state and events but plays no
// sound. play() fires onPlay, pause() onPause, stop() onStop, seek() onSeeking/onSeeked; onEnded
// never fires since nothing plays. Listeners are added by onX and removed by offX (all of them
// without an argument).
// https://developers.weixin.qq.com/miniprogram/dev/api/media/audio/InnerAudioContext.html
type Listener = (res?: Record<string, unknown>) => void

const EVENTS = [
  'Canplay',
  'Play',
  'Pause',
  'Stop',
  'Ended',
  'TimeUpdate',
  'Error',
  'Waiting',
  'Seeking',
  'Seeked',
] as const

export function createInnerAudioContext(): Record<string, unknown> {
  const listeners = new Map<string, Set<Listener>>(EVENTS.map((e) => [e, new Set<Listener>()]))
  // WeChat reports player events after the call that caused them returns.
  const emit = (event: (typeof EVENTS)[number], res?: Record<string, unknown>): void =>
    queueMicrotask(() => {
      for (const l of [...(listeners.get(event) ?? [])]) l(res)
    })
  const audio: Record<string, unknown> = {
    src: '',
    startTime: 0,
    autoplay: false,
    loop: false,
    obeyMuteSwitch: true,
    volume: 1,
    playbackRate: 1,
    duration: 0,
    currentTime: 0,
    paused: true,
    buffered: 0,
    play: () => {
      audio.paused = false
      emit('Play')
    },
    pause: () => {
      audio.paused = true
      emit('Pause')
    },
    stop: () => {
      audio.paused = true
      audio.currentTime = 0
      emit('Stop')
    },
    seek: (position: unknown) => {
      emit('Seeking')
      audio.currentTime = typeof position === 'number' ? position : 0
      emit('Seeked')
    },
    destroy: () => {
      audio.paused = true
      for (const set of listeners.values()) set.clear()
    },
  }
  for (const event of EVENTS) {
    const set = listeners.get(event) as Set<Listener>
    audio[`on${event}`] = (fn: unknown) => {
      if (typeof fn === 'function') set.add(fn as Listener)
    }
    audio[`off${event}`] = (fn?: unknown) => {
      if (typeof fn === 'function') set.delete(fn as Listener)
      else set.clear()
    }
  }
  return audio
}
