import { Type } from 'typebox'

export const SubscriptionResultsBody = Type.Object(
  {
    results: Type.Record(
      Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' }),
      Type.Union([
        Type.Literal('accept'),
        Type.Literal('reject'),
        Type.Literal('ban'),
        Type.Literal('filter'),
      ]),
      { maxProperties: 5, description: "requestSubscribeMessage's answer per template id" },
    ),
  },
  { additionalProperties: false },
)

export const SubscriptionCredits = Type.Object({
  credits: Type.Integer({
    description: 'order-status messages the server may still send this user (one per accept)',
  }),
})
