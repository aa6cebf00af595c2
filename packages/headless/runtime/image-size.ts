// An image's intrinsic size read from its first bytes (PNG, GIF, JPEG, WebP, SVG), so widthFix /
// heightFix and bindload's {width, height} use the real figures of a file in the project without
// decoding it. Headers per the PNG (IHDR), GIF89a, JPEG (SOFn), WebP (VP8/VP8L/VP8X) specs.

export interface ImageSize {
  width: number
  height: number
}

const ascii = (b: Uint8Array, at: number, n: number): string =>
  String.fromCharCode(...b.subarray(at, at + n))

function png(b: Uint8Array, v: DataView): ImageSize | undefined {
  if (b.length < 24 || b[0] !== 0x89 || ascii(b, 1, 3) !== 'PNG') return undefined
  return { width: v.getUint32(16), height: v.getUint32(20) }
}

function gif(b: Uint8Array, v: DataView): ImageSize | undefined {
  if (b.length < 10 || ascii(b, 0, 3) !== 'GIF') return undefined
  return { width: v.getUint16(6, true), height: v.getUint16(8, true) }
}

/** Walks the JPEG segments to the first start-of-frame marker (SOF0…SOF15, not DHT/JPG/DAC). */
function jpeg(b: Uint8Array, v: DataView): ImageSize | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined
  let at = 2
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined
    const marker = b[at + 1]!
    const length = v.getUint16(at + 2)
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)
    if (isFrame) return { width: v.getUint16(at + 7), height: v.getUint16(at + 5) }
    at += 2 + length
  }
  return undefined
}

function webp(b: Uint8Array, v: DataView): ImageSize | undefined {
  if (b.length < 16 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return undefined
  const chunk = ascii(b, 12, 4)
  if (chunk === 'VP8L' ? b.length < 25 : b.length < 30) return undefined
  if (chunk === 'VP8 ')
    return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff }
  if (chunk === 'VP8L') {
    const bits = v.getUint32(21, true)
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8X') {
    const w = b[24]! | (b[25]! << 8) | (b[26]! << 16)
    const h = b[27]! | (b[28]! << 8) | (b[29]! << 16)
    return { width: w + 1, height: h + 1 }
  }
  return undefined
}

/** An SVG's width/height attributes (px or unitless), else its viewBox's. */
function svg(b: Uint8Array): ImageSize | undefined {
  const text = new TextDecoder().decode(b.subarray(0, 4096))
  const root = /<svg\b[^>]*>/i.exec(text)?.[0]
  if (!root) return undefined
  const attr = (name: string): number | undefined => {
    const m = new RegExp(`\\s${name}\\s*=\\s*["']\\s*([\\d.]+)(px)?\\s*["']`, 'i').exec(root)
    return m ? Number(m[1]) : undefined
  }
  const box = /\sviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(root)
  const width = attr('width') ?? (box ? Number(box[1]) : undefined)
  const height = attr('height') ?? (box ? Number(box[2]) : undefined)
  return width && height ? { width, height } : undefined
}

/** The intrinsic size, or undefined when the bytes are no image this reader knows. */
export function imageSize(bytes: Uint8Array): ImageSize | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return (
    png(bytes, view) ?? gif(bytes, view) ?? jpeg(bytes, view) ?? webp(bytes, view) ?? svg(bytes)
  )
}
