// The demo menu: prices in fen (1 元 = 100 分).
export interface MenuItem {
  id: string
  name: string
  description: string
  price: number
  image: string | null
  soldOut: boolean
}

export interface MenuCategory {
  id: string
  name: string
  items: MenuItem[]
}

const item = (id: string, name: string, description: string, price: number): MenuItem => ({
  id,
  name,
  description,
  price,
  image: null,
  soldOut: false,
})

const category = (id: string, name: string, items: MenuItem[]): MenuCategory => ({
  id,
  name,
  items,
})

export const MENU: MenuCategory[] = [
  category('staples', '主食', [
    item('beef-noodles', '红烧牛肉面', '慢炖牛腱，手工拉面', 2800),
    item('fried-rice', '扬州炒饭', '鸡蛋、虾仁、火腿粒', 1800),
    item('dumplings', '猪肉白菜水饺', '十二只，现包现煮', 2200),
  ]),
  category('dishes', '小炒', [
    item('kung-pao', '宫保鸡丁', '花生米、干辣椒，微辣', 3200),
    item('mapo-tofu', '麻婆豆腐', '川味麻辣，配米饭更佳', 2200),
    item('greens', '蒜蓉时蔬', '当日新鲜青菜', 1600),
  ]),
  category('drinks', '饮品', [
    item('milk-tea', '珍珠奶茶', '少糖可选', 1200),
    item('soy-milk', '现磨豆浆', '热饮', 600),
    item('lemon-tea', '冻柠茶', '港式，冰饮', 1000),
  ]),
]

const byId = new Map(MENU.flatMap((c) => c.items).map((i) => [i.id, i]))

export function menuItem(id: string): MenuItem | undefined {
  return byId.get(id)
}
