// The merchant console's page: one HTML document and one script, served by routes/console.ts
// under a strict Content-Security-Policy (no inline script). Staff read Simplified Chinese.
// The script signs in, lists orders, follows /console/api/events (server-sent events) to show new
// orders and changes without reloading, and moves an order to its next status or cancels it.

export const CONSOLE_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>小满食堂 · 商家后台</title>
<link rel="stylesheet" href="/console/console.css">
</head>
<body>
<header><h1>小满食堂 · 商家后台</h1><button id="sign-out" hidden>退出登录</button></header>
<main>
  <form id="sign-in" hidden>
    <label for="password">后台密码</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">登录</button>
    <p id="sign-in-error" class="error" role="alert"></p>
  </form>
  <section id="board" hidden>
    <p id="live" class="muted">正在连接…</p>
    <p id="board-error" class="error" role="alert"></p>
    <table>
      <thead><tr><th>订单号</th><th>下单时间</th><th>菜品</th><th>金额</th><th>状态</th><th>操作</th></tr></thead>
      <tbody id="orders"></tbody>
    </table>
    <p id="empty" class="muted">暂无订单</p>
  </section>
</main>
<script src="/console/console.js" defer></script>
</body>
</html>
`

export const CONSOLE_CSS = `body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f5f7;color:#222}
header{display:flex;justify-content:space-between;align-items:center;padding:12px 24px;background:#fff;border-bottom:1px solid #eee}
h1{font-size:18px;margin:0}main{padding:24px}
table{width:100%;border-collapse:collapse;background:#fff}th,td{padding:8px 12px;border-bottom:1px solid #eee;text-align:left}
button{padding:6px 12px;margin-right:6px;border:1px solid #e8590c;background:#fff;color:#e8590c;border-radius:4px;cursor:pointer}
button.next{background:#e8590c;color:#fff}.error{color:#c92a2a}.muted{color:#8c8c8c}
form{background:#fff;padding:24px;max-width:320px}input{display:block;margin:8px 0 12px;padding:6px;width:100%}
tr.fresh{animation:fresh 2s}@keyframes fresh{from{background:#fff4e6}to{background:#fff}}
`

export const CONSOLE_JS = `'use strict'
const LABELS = { placed: '已下单', accepted: '已接单', ready: '待取餐', completed: '已完成', cancelled: '已取消' }
const ACTIONS = { accepted: '接单', ready: '出餐', completed: '完成' }
const $ = (id) => document.getElementById(id)
const orders = new Map()
let events = null

async function api(method, path, body) {
  const init = { method, headers: {}, credentials: 'same-origin' }
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const res = await fetch('/console/api' + path, init)
  const text = await res.text()
  const data = text ? JSON.parse(text) : null
  if (!res.ok) {
    const err = new Error((data && data.error && data.error.message) || res.statusText)
    err.status = res.status
    err.code = data && data.error && data.error.code
    throw err
  }
  return data
}

function showSignIn() {
  if (events) events.close()
  events = null
  $('board').hidden = true
  $('sign-out').hidden = true
  $('sign-in').hidden = false
}

function fmtTime(iso) {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false })
}

function row(order) {
  const tr = document.createElement('tr')
  tr.dataset.orderId = order.id
  tr.dataset.status = order.status
  const cells = [
    order.id,
    fmtTime(order.createdAt),
    order.items.map((i) => i.name + ' ×' + i.quantity).join('，'),
    '¥' + (order.total / 100).toFixed(2),
  ]
  for (const text of cells) {
    const td = document.createElement('td')
    td.textContent = text
    tr.appendChild(td)
  }
  const status = document.createElement('td')
  status.className = 'status'
  status.textContent = LABELS[order.status] || order.status
  tr.appendChild(status)
  const actions = document.createElement('td')
  if (order.next) {
    const b = document.createElement('button')
    b.className = 'next'
    b.textContent = ACTIONS[order.next] || LABELS[order.next]
    b.addEventListener('click', () => move(order.id, order.next))
    actions.appendChild(b)
  }
  if (order.merchantMayCancel) {
    const c = document.createElement('button')
    c.className = 'cancel'
    c.textContent = '取消订单'
    c.addEventListener('click', () => move(order.id, 'cancelled'))
    actions.appendChild(c)
  }
  tr.appendChild(actions)
  return tr
}

function render() {
  const body = $('orders')
  const sorted = [...orders.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
  body.replaceChildren(...sorted.map(row))
  $('empty').hidden = sorted.length > 0
}

function upsert(order, fresh) {
  orders.set(order.id, order)
  render()
  if (fresh) {
    const tr = document.querySelector('tr[data-order-id="' + CSS.escape(order.id) + '"]')
    if (tr) tr.classList.add('fresh')
  }
}

async function move(id, status) {
  $('board-error').textContent = ''
  try {
    const { order } = await api('POST', '/orders/' + encodeURIComponent(id) + '/status', { status })
    upsert(order, false)
  } catch (e) {
    if (e.status === 401) return showSignIn()
    $('board-error').textContent = e.status === 409 ? '订单状态已变化，已刷新' : '操作失败：' + e.message
    if (e.status === 409) await load()
  }
}

async function load() {
  const { orders: list } = await api('GET', '/orders')
  orders.clear()
  for (const o of list) orders.set(o.id, o)
  render()
}

function follow() {
  if (events) events.close()
  events = new EventSource('/console/api/events')
  events.addEventListener('open', () => { $('live').textContent = '实时更新中' })
  events.addEventListener('order', (e) => upsert(JSON.parse(e.data), true))
  events.addEventListener('error', async () => {
    $('live').textContent = '连接中断，正在重连…'
    try { await api('GET', '/session') } catch (err) { if (err.status === 401) showSignIn() }
  })
}

async function showBoard() {
  $('sign-in').hidden = true
  $('board').hidden = false
  $('sign-out').hidden = false
  await load()
  follow()
}

$('sign-in').addEventListener('submit', async (e) => {
  e.preventDefault()
  $('sign-in-error').textContent = ''
  try {
    await api('POST', '/session', { password: $('password').value })
    $('password').value = ''
    await showBoard()
  } catch (err) {
    $('sign-in-error').textContent =
      err.status === 429 ? '尝试次数过多，请稍后再试' : err.status === 401 ? '密码错误' : '登录失败：' + err.message
  }
})

$('sign-out').addEventListener('click', async () => {
  try { await api('DELETE', '/session') } finally { showSignIn() }
})

api('GET', '/session').then(showBoard, showSignIn)
`
