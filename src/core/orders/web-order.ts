// The web shop's order body [W1]: one zod schema validates requests and generates the OpenAPI document.
import { z } from 'zod';

const money = z.number().int('Amounts are whole minor units (cents)').nonnegative('Amounts cannot be negative');

export const addressSchema = z
  .object({
    street: z.string().trim().min(1, 'Give the street and number').max(200),
    city: z.string().trim().min(1, 'Give the city').max(100),
    postalCode: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,10}$/, 'A postal code is 2 to 11 letters, digits, spaces or dashes'),
    country: z.string().regex(/^[A-Z]{2}$/, 'The country is a two-letter ISO code such as PT'),
  })
  .strict();

export const webOrderSchema = z
  .object({
    externalId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'externalId is 1 to 64 letters, digits, dots, dashes or underscores'),
    customer: z
      .object({
        firstName: z.string().trim().min(1, 'Give the customer\'s first name').max(80),
        lastName: z.string().trim().min(1, 'Give the customer\'s last name').max(80),
        email: z.email('Give a valid e-mail address for the customer'),
        phone: z.string().regex(/^\+?[0-9 ()-]{6,24}$/, 'Give a phone number such as +351 912 345 678'),
      })
      .strict(),
    lines: z
      .array(
        z
          .object({
            sku: z.string().min(1).max(64),
            qty: z.number().int('Quantities are whole numbers').positive('Each line needs a quantity of at least 1').max(99, 'At most 99 of one SKU per line'),
            unitPrice: money,
          })
          .strict(),
      )
      .min(1, 'An order needs at least one line')
      .max(50, 'An order has at most 50 lines'),
    currency: z.enum(['EUR', 'BRL', 'USD']),
    payment: z.object({ reference: z.string().min(1).max(100), amount: money }).strict(),
    fulfillment: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('pickup'), storeId: z.string().regex(/^[A-Z0-9]{2,12}$/, 'storeId is a store code such as S01') }).strict(),
      z.object({ kind: z.literal('ship'), address: addressSchema }).strict(),
    ]),
  })
  .strict()
  .refine((o) => o.lines.reduce((s, l) => s + l.qty * l.unitPrice, 0) === o.payment.amount, {
    message: 'payment.amount must equal the sum of qty × unitPrice over the lines',
    path: ['payment', 'amount'],
  })
  .refine((o) => new Set(o.lines.map((l) => l.sku)).size === o.lines.length, { message: 'Each SKU appears on one line only; add up the quantities', path: ['lines'] });

export type WebOrder = z.infer<typeof webOrderSchema>;

/** The answer to a placed order [W1]. */
export const webOrderAnswerSchema = z.object({
  externalId: z.string(),
  number: z.string(),
  status: z.enum(['sourcing', 'placed', 'picking', 'ready', 'short', 'collected', 'expired', 'cancelled']),
  orderId: z.string(),
  storeId: z.string(),
  sourceId: z.string(),
  readyBy: z.string(),
  total: z.number().int(),
  refunded: z.number().int(),
  history: z.array(
    z.object({
      kind: z.string(),
      at: z.string(),
      sku: z.string().optional(),
      amount: z.number().int().optional(),
      /** [RE5] A return taken in a store: the quantity returned, where, and the return's number. */
      qty: z.number().int().optional(),
      storeId: z.string().optional(),
      returnNumber: z.string().optional(),
      /** [RE5] Where a return's refund went: `web` (a refund request to the payment), `store-credit`, `cash`, `card`. */
      to: z.string().optional(),
      /** [PQ1] `reassigning`: where the line was short. */
      from: z.string().optional(),
      /** [PQ1] `reassigned`: where the line is reserved now. */
      sourceIds: z.array(z.string()).optional(),
      /** [PQ1] `reassigned`: the order's ready-by time after it. */
      readyBy: z.string().optional(),
    }),
  ),
  /**
   * [PQ1] Per line, where it comes from now and its state: `open` (reserved at `sourceIds`), `sourcing`
   * (marked short, the server is finding it elsewhere), `unsourceable` (no location has it; the store
   * decides), `short` (cancelled and refunded).
   */
  lines: z.array(z.object({ sku: z.string(), qty: z.number().int(), state: z.enum(['open', 'sourcing', 'unsourceable', 'short']), sourceIds: z.array(z.string()) })),
  /** [RE3] Per line: bought and returned so far (once anything was returned). */
  returned: z.array(z.object({ sku: z.string(), qty: z.number().int(), returned: z.number().int() })).optional(),
  /** [W3] Notices sent (or queued) to the customer about this order; in the status answer only. */
  notices: z.array(z.object({ kind: z.string(), recipient: z.string(), createdAt: z.string(), sentAt: z.string().nullable() })).optional(),
});

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
