// order.settle-share: the system settles a till order's stock at a location other than the collecting
// store [OR3][J1]: the hand-over takes it off that shelf and out of its reservation (`fulfil`), a
// cancel, short line or expiry gives the reservation back (`release`). Asked for by the pickup
// transition that settled the rest, so the collecting store's tablet never writes another store's
// stock [O3]. Movement ids derive from that transition's id: a job run twice moves stock once.
import { z } from 'zod';
import type { CommandDef } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import { stockKey } from '../model';
import { asSku, type LocationId } from '../shared/brand';

const code = z.string().regex(/^[A-Z0-9]{2,12}$/);

export const orderSettleShareV1 = z
  .object({
    orderId: z.string().min(1).max(64),
    sourceCommandId: z.string().min(1).max(64),
    kind: z.enum(['release', 'fulfil']),
    locationId: code,
    shares: z.array(z.object({ sku: z.string().min(1).max(64), qty: z.number().int().positive().max(9_999) })).min(1).max(200),
  })
  .strict();
export type OrderSettleSharePayload = z.infer<typeof orderSettleShareV1>;

export const orderSettleShare: CommandDef<OrderSettleSharePayload> = {
  type: 'order.settle-share',
  version: 1,
  schemas: { 1: orderSettleShareV1 },
  roles: ['system'],
  storeOf: (p) => p.locationId,
  streams: (p) => [`store:${p.locationId}`],
  prefetch: (p) => [{ table: 'stock', keys: p.shares.map((x) => stockKey(p.locationId, x.sku)) }],
  async handle(ctx, cmd) {
    const p = cmd.payload;
    const b = new EffectsBuilder(ctx.tx);
    const now = nowOf(ctx, cmd);
    for (const x of p.shares) {
      const key = stockKey(p.locationId, x.sku);
      const s = (await b.get('stock', key)) ?? { key, locationId: p.locationId as LocationId, sku: asSku(x.sku), onHand: 0, reserved: 0, at: now };
      b.put('stock', { ...s, reserved: Math.max(0, s.reserved - x.qty), onHand: p.kind === 'fulfil' ? s.onHand - x.qty : s.onHand, at: now });
      b.move({ id: `${p.sourceCommandId}:${p.kind}:${x.sku}:${p.locationId}`, locationId: p.locationId, sku: x.sku, qty: -x.qty, kind: p.kind, commandId: cmd.id });
    }
    b.summary = { orderId: p.orderId, locationId: p.locationId, kind: p.kind, shares: p.shares.length };
    return b.done();
  },
};
