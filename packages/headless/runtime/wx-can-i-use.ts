// wx.canIUse(schema) answering for this runtime, so an app's feature checks take the branch that
// works here: `${api}.${method}.${param}…` is true when the runtime's wx has that API (deeper
// segments cannot be told apart and follow the API); `${component}.${attribute}.${value}` is true
// for the built-in components the runtime gives behaviour to (the others render as empty shells)
// and, for button open-type, for the open types whose platform flow it runs.
// https://developers.weixin.qq.com/miniprogram/dev/api/base/wx.canIUse.html
import { OPEN_TYPE_EVENTS } from './builtins'

/** Built-ins with behaviour or plain rendering; map, video, camera, canvas … are shells. */
export const WORKING_COMPONENTS = new Set([
  'view',
  'text',
  'block',
  'button',
  'input',
  'textarea',
  'image',
  'icon',
  'label',
  'form',
  'switch',
  'slider',
  'checkbox',
  'checkbox-group',
  'radio',
  'radio-group',
  'picker',
  'scroll-view',
  'swiper',
  'swiper-item',
  'movable-area',
  'movable-view',
  'navigator',
  'progress',
  'rich-text',
  'cover-view',
  'cover-image',
])

export function canIUse(schema: unknown, hasApi: (name: string) => boolean): boolean {
  if (typeof schema !== 'string' || schema === '') return false
  const [head = '', attribute, value] = schema.split('.')
  if (WORKING_COMPONENTS.has(head)) {
    if (head === 'button' && attribute === 'open-type' && value !== undefined)
      return value in OPEN_TYPE_EVENTS
    return true
  }
  return hasApi(head)
}
