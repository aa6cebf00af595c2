// wx.getLocation / wx.chooseLocation: privacy APIs gated by scope.userLocation
// (`getLocation:fail auth deny` once refused, without a popup).
import { WxFail, wxAsync } from './api'
import type { FakeWxContext, FakeWxModule } from './context'
import { privacyGate } from './privacy'
import { checkScope } from './settings'

export interface FakeLocation {
  latitude: number
  longitude: number
  name: string
  address: string
}

export function locationApis(ctx: FakeWxContext) {
  let here: FakeLocation = {
    latitude: 31.2304,
    longitude: 121.4737,
    name: '人民广场',
    address: '上海市黄浦区人民大道',
  }
  const gate = async (api: string) => {
    await privacyGate(ctx, api)
    await checkScope(ctx, api, 'scope.userLocation')
  }
  const wx = {
    getLocation: wxAsync('getLocation', async (_o: { type?: string }) => {
      await gate('getLocation')
      const { latitude, longitude } = here
      return {
        latitude,
        longitude,
        speed: 0,
        accuracy: 65,
        altitude: 0,
        verticalAccuracy: 0,
        horizontalAccuracy: 65,
      }
    }),
    chooseLocation: wxAsync(
      'chooseLocation',
      async (_o: { latitude?: number; longitude?: number }) => {
        await gate('chooseLocation')
        const a = await ctx.dialogs.open('location', 'chooseLocation', { ...here })
        if (a !== 'confirm') throw new WxFail('chooseLocation', 'cancel')
        return { ...here }
      },
    ),
  }
  const control = {
    /** Where the device is (and what chooseLocation picks). */
    setLocation(l: Partial<FakeLocation>) {
      here = { ...here, ...l }
    },
  }
  return { wx, control } satisfies FakeWxModule<object, object>
}
