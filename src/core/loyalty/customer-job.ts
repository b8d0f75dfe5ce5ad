// The shape the server's own per-customer jobs share (loyalty.expire, loyalty.tier-review) [J1][J2]:
// issued only by the system, chain-wide, writing the customers stream, and run on the live profile the
// id names — the survivor of a merge [CL4] — or answered `gone` for an erased one [CL6].
import type { z } from 'zod';
import { EffectsBuilder, type CommandDef, type Command, type HandlerContext, type Summary } from '../sync/command';
import type { CustomerRow } from '../model';
import { resolveCustomer } from '../customers/redirects';

export interface CustomerJobSpec<P extends { customerId: string }> {
  type: string;
  schema: z.ZodType<P>;
  /** Tables read by customer id besides `customers` and `redirects` (which resolving always reads). */
  reads: readonly ('history')[];
  /** Runs on the live profile; sets `b.summary`. */
  run: (b: EffectsBuilder, c: CustomerRow, ctx: HandlerContext, cmd: Command<P>) => Promise<void>;
}

export function customerJob<P extends { customerId: string }>(spec: CustomerJobSpec<P>): CommandDef<P> {
  return {
    type: spec.type,
    version: 1,
    schemas: { 1: spec.schema },
    roles: ['system'],
    storeOf: () => undefined,
    streams: () => ['customers'],
    prefetch: (p) => [
      { table: 'customers', keys: [p.customerId] },
      { table: 'redirects', keys: [p.customerId] },
      ...spec.reads.map((table) => ({ table, keys: [p.customerId] })),
    ],
    async handle(ctx, cmd) {
      const b = new EffectsBuilder(ctx.tx);
      const c = await resolveCustomer(b, cmd.payload.customerId);
      if (!c) {
        b.summary = { customerId: cmd.payload.customerId, gone: true } satisfies Summary;
        return b.done();
      }
      await spec.run(b, c, ctx, cmd);
      return b.done();
    },
  };
}
