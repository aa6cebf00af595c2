// The app instance's shape, for getApp<IAppOption>().
interface IAppOption {
  globalData: {
    /** The env the app was launched in ('develop' | 'trial' | 'release'). */
    envVersion: string
  }
}
