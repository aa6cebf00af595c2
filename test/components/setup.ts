// miniprogram-simulate defines Component and Behavior; mobx-miniprogram-bindings needs Behavior at
// load time, so this runs first (jest setupFiles). getApp/Page/App/getCurrentPages are not defined
// by simulate: minimal shims so app modules load. Each test installs its own fake wx.
import 'miniprogram-simulate'

type AnyRecord = Record<string, unknown>
const g = globalThis as unknown as AnyRecord
let appInstance: AnyRecord = {}
g.App = (o: AnyRecord) => {
  appInstance = o
}
g.getApp = () => appInstance
g.getCurrentPages = () => []
g.Page = (o: AnyRecord) => (g.Component as (o: AnyRecord) => unknown)(o)
