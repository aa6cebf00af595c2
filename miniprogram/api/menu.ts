// GET /menu: public, never logs in (auth 'none'), so browsing never calls wx.login.
import { auth } from './client'

export interface MenuItem {
  id: string
  name: string
  description: string
  /** Price in fen (分). */
  price: number
  image: string | null
  soldOut: boolean
}

export interface MenuCategory {
  id: string
  name: string
  items: MenuItem[]
}

export interface Menu {
  currency?: 'CNY'
  categories: MenuCategory[]
}

export async function fetchMenu(): Promise<Menu> {
  const res = await auth.request<Menu>({ url: '/menu', method: 'GET', auth: 'none' })
  return { categories: Array.isArray(res.data?.categories) ? res.data.categories : [] }
}
