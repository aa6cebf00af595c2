// Intrinsic sizes read from the headers of each format an <image> may show.
import { imageSize } from './image-size'

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)))
const be32 = (n: number): number[] => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255]
const be16 = (n: number): number[] => [n >> 8, n & 255]
const le16 = (n: number): number[] => [n & 255, n >> 8]

test('PNG: the IHDR chunk', () => {
  const png = bytes(
    [0x89],
    'PNG\r\n\x1a\n',
    be32(13),
    'IHDR',
    be32(640),
    be32(360),
    [8, 6, 0, 0, 0],
  )
  expect(imageSize(png)).toEqual({ width: 640, height: 360 })
})

test('GIF: the logical screen size', () => {
  expect(imageSize(bytes('GIF89a', le16(48), le16(24), [0, 0, 0]))).toEqual({
    width: 48,
    height: 24,
  })
})

test('JPEG: the first start-of-frame segment, past the others', () => {
  const app0 = [0xff, 0xe0, ...be16(6), 0, 0, 0, 0]
  const sof0 = [
    0xff,
    0xc0,
    ...be16(17),
    8,
    ...be16(300),
    ...be16(400),
    3,
    ...Array<number>(9).fill(0),
  ]
  expect(imageSize(bytes([0xff, 0xd8], app0, sof0))).toEqual({ width: 400, height: 300 })
})

test('WebP: lossy, lossless and extended', () => {
  const riff = (chunk: string, body: number[]): Uint8Array =>
    bytes('RIFF', [0, 0, 0, 0], 'WEBP', chunk, [0, 0, 0, 0], body)
  const lossy = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(120), ...le16(80)])
  expect(imageSize(lossy)).toEqual({ width: 120, height: 80 })
  const bits = (120 - 1) | ((80 - 1) << 14)
  const lossless = riff('VP8L', [
    0x2f,
    bits & 255,
    (bits >> 8) & 255,
    (bits >> 16) & 255,
    bits >>> 24,
    0,
    0,
    0,
    0,
  ])
  expect(imageSize(lossless)).toEqual({ width: 120, height: 80 })
  const extended = riff('VP8X', [0, 0, 0, 0, 119, 0, 0, 79, 0, 0])
  expect(imageSize(extended)).toEqual({ width: 120, height: 80 })
})

test('SVG: width/height, else the viewBox; anything else is unknown', () => {
  expect(
    imageSize(bytes('<svg width="30px" height="20" xmlns="http://www.w3.org/2000/svg"/>')),
  ).toEqual({
    width: 30,
    height: 20,
  })
  expect(imageSize(bytes('<svg viewBox="0 0 64 32"></svg>'))).toEqual({ width: 64, height: 32 })
  expect(imageSize(bytes('not an image'))).toBeUndefined()
})
