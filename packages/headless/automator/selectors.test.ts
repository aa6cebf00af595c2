// The selector forms AUTOMATOR-SUPPORT.md lists for page.$ / $$ and element.$ / $$, through the
// unmodified client on the basic fixture's layout page: tag, #id, .class, attribute operators,
// `*`, combinators, groups; page lookups stay out of custom components, element lookups on a
// component look inside it.
import type Element from 'miniprogram-automator/out/Element'
import { useBasicAppOn } from '../test-support/basic-app-session'

jest.setTimeout(60_000)

const session = useBasicAppOn('/pages/layout/index')

/** The ids of the elements a page selector finds, in document order. */
async function idsOf(selector: string): Promise<string[]> {
  const found = await session.page.$$(selector)
  return Promise.all(found.map(async (e: Element) => String(await e.attribute('id'))))
}

test('tag, #id and .class', async () => {
  expect(await idsOf('swiper')).toEqual(['banner', 'column'])
  expect(await idsOf('#knob')).toEqual(['knob'])
  expect(await idsOf('.slide-two')).toEqual(['slide-two'])
  expect(await session.page.$('#absent')).toBeNull()
})

test('attribute selectors: presence, =, ^=, $=, *= and ~=', async () => {
  expect(await idsOf('swiper[vertical]')).toEqual(['column'])
  expect(await idsOf('image[mode="heightFix"]')).toEqual(['strip'])
  expect(await idsOf('swiper-item[id^="slide-"]')).toEqual(['slide-one', 'slide-two'])
  expect(await idsOf('swiper-item[id$="-two"]')).toEqual(['slide-two', 'cell-two'])
  expect(await idsOf('image[src*="photo"]')).toEqual(['photo', 'strip'])
  expect(await idsOf('[class~="slide-one"]')).toEqual(['slide-one'])
})

test('*, descendant and child combinators, and , groups', async () => {
  expect((await session.page.$$('#banner *')).length).toBe(2)
  expect(await idsOf('.page swiper-item')).toEqual([
    'slide-one',
    'slide-two',
    'cell-one',
    'cell-two',
  ])
  expect(await idsOf('#column > swiper-item')).toEqual(['cell-one', 'cell-two'])
  expect(await session.page.$$('.page > .row')).toHaveLength(0)
  expect(await idsOf('#knob, #box')).toEqual(['box', 'knob'])
})

test("page selectors do not reach inside a custom component; the component's $ does", async () => {
  expect(await session.page.$('.inner')).toBeNull()
  const badge = (await session.page.$('#deep'))!
  const inner = await badge.$('.inner')
  expect(inner).not.toBeNull()
  expect(await inner!.text()).toMatch(/^\d+$/)
})

test('a selector starting with / or ( is XPath', async () => {
  expect(await idsOf('//swiper[@vertical]/swiper-item')).toEqual(['cell-one', 'cell-two'])
  expect(await (await session.page.$('(//swiper-item)[2]'))!.attribute('id')).toBe('slide-two')
})
