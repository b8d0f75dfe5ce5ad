// GET /api/v1/returns/lookup?number=… [RE1][RE3]: a tablet online finds a purchase by its receipt
// or web order number in any store or channel, with what each line bought, what has been returned
// of it across the chain and what is still returnable. Device-signed like every device route.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeviceRecord, Store } from '../store/store';
import { HttpError } from './errors';
import { lookedUp, orderView, saleView, type LookedUpPurchase } from '../../../src/core/returns/return-math';

const query = z.object({
  number: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9-]{1,40}$/, 'Type a receipt number such as S01-T03-000123 or a web order number such as W100234'),
});

export type LookupAnswer = LookedUpPurchase;

export function registerReturnsLookup(app: FastifyInstance, store: Store, authenticate: (req: FastifyRequest) => Promise<DeviceRecord>): void {
  app.get('/api/v1/returns/lookup', async (req): Promise<LookupAnswer> => {
    await authenticate(req);
    const parsed = query.safeParse(req.query);
    if (!parsed.success) throw new HttpError(400, 'invalid-number', `${parsed.error.issues[0]?.message ?? 'Type a receipt or order number'}.`);
    const { number } = parsed.data;
    return store.transaction(async (tx) => {
      const found = await tx.purchaseByNumber(number);
      if (!found) throw new HttpError(404, 'unknown-purchase', `No sale or web order has the number ${number} in any store. Check the number on the receipt or the order e-mail, or take the return without a receipt.`);
      const view = found.kind === 'sale' ? saleView(found.row) : orderView(found.row);
      const [tally, customer] = await Promise.all([tx.get('returnTallies', view.id), view.customerId ? tx.get('customers', view.customerId) : undefined]);
      return lookedUp(view, tally, customer ? `${customer.firstName} ${customer.lastName}` : undefined);
    });
  });
}
