import { Type, type Static } from 'typebox'
import { AuthHeaders } from './common'

const MenuItem = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  price: Type.Integer({ description: 'fen (1/100 yuan)' }),
  image: Type.Union([Type.String(), Type.Null()]),
  soldOut: Type.Boolean(),
})

export const MenuResponse = Type.Object({
  currency: Type.Literal('CNY'),
  categories: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), items: Type.Array(MenuItem) }),
  ),
})

const PLAIN_TEXT = '^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f]*$'

export const CreateOrderBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          itemId: Type.String({ minLength: 1, maxLength: 64 }),
          quantity: Type.Integer({ minimum: 1, maximum: 99 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    // Text only: no control characters but newlines (PostgreSQL text refuses NUL, too).
    remark: Type.Optional(Type.String({ maxLength: 200, pattern: PLAIN_TEXT })),
    /** Delivery address as the user picked or typed it. */
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: PLAIN_TEXT })),
  },
  { additionalProperties: false },
)
export type CreateOrderBodyT = Static<typeof CreateOrderBody>

export const IdempotencyHeaders = Type.Object({
  ...AuthHeaders.properties,
  // An empty header is no key: the route answers it 400 IDEMPOTENCY_KEY_REQUIRED, as it does a
  // missing one, rather than a schema failure.
  'idempotency-key': Type.Optional(Type.String({ maxLength: 128, pattern: '^[\\x21-\\x7e]*$' })),
})
export type IdempotencyHeadersT = Static<typeof IdempotencyHeaders>

export const Order = Type.Object({
  id: Type.String(),
  items: Type.Array(
    Type.Object({
      itemId: Type.String(),
      name: Type.String(),
      price: Type.Integer(),
      quantity: Type.Integer(),
    }),
  ),
  total: Type.Integer({ description: 'fen' }),
  status: Type.String({
    description: "'placed' | 'accepted' | 'ready' | 'completed' | 'cancelled'",
  }),
  remark: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time', description: 'when the status last changed' }),
  timeline: Type.Array(
    Type.Object({ status: Type.String(), at: Type.String({ format: 'date-time' }) }),
    { description: "every status the order went through, oldest first ('placed' first)" },
  ),
  cancellable: Type.Boolean({ description: 'the user may still cancel it (while placed)' }),
})

export const OrderList = Type.Object({ orders: Type.Array(Order) })
export const OrderParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
})
