// Network down while ordering: the order fails with a clear message; when the network is back,
// the retry (same Idempotency-Key) places it, and there is exactly one order.
import { screenshot } from './lib/artifacts'
import { countOrders, openCheckoutWithDish, submitOrder, typeAddress } from './lib/app'
import { installNetworkSwitch, offlineHits, setOffline } from './lib/evidence'
import { type Journey, runIfMain } from './lib/journey'
import { freshAccount, launchApp } from './lib/target'
import { check, element } from './lib/wait'

const name = 'network-retry'

export const journey: Journey = {
  name,
  title: 'network down while ordering, then retried without a second order',
  async run() {
    const mp = await launchApp(freshAccount('network'))
    try {
      await installNetworkSwitch(mp)
      const page = await openCheckoutWithDish(mp)
      await typeAddress(page)
      await setOffline(mp, true)
      await (await element(page, '#submit-order')).tap()
      await element(page, '#order-error', 20_000)
      check((await offlineHits(mp)) >= 1, 'the order request hit the dead network')
      await screenshot(mp, name, 'network-error')

      await setOffline(mp, false)
      await submitOrder(mp, page)
      await screenshot(mp, name, 'placed-on-retry')

      const count = await countOrders(mp)
      check(count === 1, `exactly one order (got ${count})`)
    } finally {
      await mp.close()
    }
  },
}

runIfMain(__filename, journey)
