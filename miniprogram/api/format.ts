// Display helpers shared by pages (WXML cannot call functions, so pages format before setData).

/** ¥ with two decimals, from fen. */
export function formatPrice(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** 'YYYY-MM-DD HH:mm' in local time; the input as given when it is not a date. */
export function formatTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}`
  )
}
