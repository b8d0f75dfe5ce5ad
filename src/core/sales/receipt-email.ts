// receipt.email: queues a sale's receipt for e-mail [MO4]. The message goes into the server's
// notification outbox in the command's own transaction, so it is sent once the sale is there [W3].
import { z } from 'zod';
import type { CommandDef } from '../sync/command';
import { EffectsBuilder } from '../sync/command';
import { fail } from '../shared/errors';

export const receiptEmailV1 = z.object({
  saleId: z.string().uuid(),
  storeId: z.string().min(1).max(16),
  email: z.string().trim().max(254).email('The e-mail address must look like name@example.com'),
});
export type ReceiptEmailPayload = z.infer<typeof receiptEmailV1>;

export const receiptEmail: CommandDef<ReceiptEmailPayload> = {
  type: 'receipt.email',
  version: 1,
  schemas: { 1: receiptEmailV1 },
  roles: ['associate', 'cashier', 'manager'],
  storeOf: (p) => p.storeId,
  streams: (p) => [`store:${p.storeId}`],
  prefetch: (p) => [{ table: 'sales', keys: [p.saleId] }],
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder(ctx.tx);
    const sale = await b.get('sales', p.saleId);
    if (!sale || sale.storeId !== p.storeId) return fail('unknown-sale', `Sale ${p.saleId} is not a sale of store ${p.storeId}; reprint the receipt from the sale itself.`);
    b.notify({ kind: 'receipt', recipient: p.email, payload: { saleId: sale.id, receiptNo: sale.receiptNo, storeId: sale.storeId, total: sale.total, currency: sale.currency } });
    b.summary = { receiptNo: sale.receiptNo, queued: true };
    return b.done();
  },
};
