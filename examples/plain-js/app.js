// The whole set-up: one auth instance, created at launch. Nothing logs in until a call needs it.
// (An app that used to call wx.login in onLaunch and keep its own token drops that code.)
const { createAuth } = require('wx-login-kit')

// The reference server's origin (`npm start`). Use your own HTTPS origin in a real app.
const auth = createAuth({ baseUrl: 'http://127.0.0.1:3000' })

App({
  onLaunch() {
    auth.on('loop:tripped', (e) => console.warn('[auth] login loop tripped', e))
  },
})
