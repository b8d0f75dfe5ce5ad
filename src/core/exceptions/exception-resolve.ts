// exception.resolve: a manager acknowledges an exception with a resolution note. Resolving twice is
// harmless: the first resolution stands.
import { z } from 'zod';
import { EffectsBuilder, type CommandDef } from '../sync/command';
import { fail } from '../shared/errors';
import type { AssociateId } from '../shared/brand';
import { CHAIN_WIDE } from '../model';

export const exceptionResolveV1 = z.object({
  exceptionId: z.string().min(1).max(200, 'An exception id is at most 200 characters'),
  // A store code, or `*` for a chain-level exception [O2].
  storeId: z.string().regex(/^([A-Z0-9]{2,12}|\*)$/, 'storeId is a store code such as S01, or * for the chain'),
  note: z.string().trim().min(3, 'Write what was done (at least 3 characters)').max(500, 'A resolution note is at most 500 characters'),
});
export type ExceptionResolvePayload = z.infer<typeof exceptionResolveV1>;

export const exceptionResolve: CommandDef<ExceptionResolvePayload> = {
  type: 'exception.resolve',
  version: 1,
  schemas: { 1: exceptionResolveV1 },
  roles: ['manager'],
  // [O2] A chain-level exception (storeId `*`, stream `chain`) is resolved by a manager of any store.
  storeOf: (p) => (p.storeId === CHAIN_WIDE ? undefined : p.storeId),
  streams: (p) => [p.storeId === CHAIN_WIDE ? 'chain' : `store:${p.storeId}`],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const p = cmd.payload;
    const e = await b.get('exceptions', p.exceptionId);
    if (!e || e.storeId !== p.storeId) fail('unknown-exception', `There is no exception ${p.exceptionId} at store ${p.storeId}.`);
    if (e!.resolved) {
      b.summary = { exceptionId: p.exceptionId, alreadyResolved: true };
      return b.done();
    }
    b.put('exceptions', { ...e!, resolved: { by: cmd.actor as AssociateId, note: p.note, at: cmd.at } });
    b.summary = { exceptionId: p.exceptionId };
    return b.done();
  },
};
