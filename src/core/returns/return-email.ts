// return.email: queues a return's receipt for e-mail [RE1][MO4], in the server's notification outbox
// in the command's own transaction, so it is sent once the return is there [W3].
import { z } from 'zod';
import type { CommandDef } from '../sync/command';
import { EffectsBuilder } from '../sync/command';
import { fail } from '../shared/errors';

export const returnEmailV1 = z.object({
  returnId: z.string().uuid(),
  storeId: z.string().min(1).max(16),
  email: z.string().trim().max(254).email('The e-mail address must look like name@example.com'),
});
export type ReturnEmailPayload = z.infer<typeof returnEmailV1>;

export const returnEmail: CommandDef<ReturnEmailPayload> = {
  type: 'return.email',
  version: 1,
  schemas: { 1: returnEmailV1 },
  roles: ['associate', 'cashier', 'manager'],
  storeOf: (p) => p.storeId,
  streams: (p) => [`store:${p.storeId}`],
  prefetch: (p) => [{ table: 'returns', keys: [p.returnId] }],
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder(ctx.tx);
    const r = await b.get('returns', p.returnId);
    if (!r || r.storeId !== p.storeId) return fail('unknown-return', `Return ${p.returnId} is not a return of store ${p.storeId}; e-mail it from the tablet that took it.`);
    b.notify({ kind: 'receipt', recipient: p.email, payload: { returnId: r.id, number: r.number, storeId: r.storeId, total: r.total, currency: r.currency, refunds: r.refunds } });
    b.summary = { number: r.number, queued: true };
    return b.done();
  },
};
