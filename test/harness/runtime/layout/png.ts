// Reads pixels of the PNGs Chromium writes (8-bit RGB or RGBA, not interlaced), so tests can check
// that what the layout reports is where the screenshot paints it.
import zlib from 'node:zlib'

export interface Png {
  width: number
  height: number
  /** [r, g, b] at (x, y) in device pixels. */
  pixel(x: number, y: number): [number, number, number]
}

export function decodePng(data: Buffer): Png {
  const width = data.readUInt32BE(16)
  const height = data.readUInt32BE(20)
  const bitDepth = data[24]
  const colorType = data[25]
  if (bitDepth !== 8 || (colorType !== 2 && colorType !== 6) || data[28] !== 0)
    throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colorType}`)
  const channels = colorType === 6 ? 4 : 3
  const chunks: Buffer[] = []
  for (let at = 8; at < data.length;) {
    const length = data.readUInt32BE(at)
    const type = data.toString('latin1', at + 4, at + 8)
    if (type === 'IDAT') chunks.push(data.subarray(at + 8, at + 8 + length))
    at += 12 + length
  }
  const raw = zlib.inflateSync(Buffer.concat(chunks))
  const stride = width * channels
  const pixels = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!
      const a = i >= channels ? pixels[y * stride + i - channels]! : 0
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0
      const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels]! : 0
      let predictor = 0
      if (filter === 1) predictor = a
      else if (filter === 2) predictor = b
      else if (filter === 3) predictor = (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
      pixels[y * stride + i] = (x + predictor) & 0xff
    }
  }
  return {
    width,
    height,
    pixel(x, y) {
      const at = Math.floor(y) * stride + Math.floor(x) * channels
      return [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!]
    },
  }
}
