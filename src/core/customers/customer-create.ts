// customer.create: a new profile, made offline under an id the tablet minted [CL3]. Separate from
// customer.update so an edit can never resurrect a profile that was merged away or erased. Applying
// it again (a replay after a rebase) merges the same fields at the same HLC: nothing changes.
import { z } from 'zod';
import { EffectsBuilder, type CommandDef } from '../sync/command';
import { decodeHlc } from '../shared/hlc';
import { applyProfileEdit, consentEditSchema, emptyCustomer, profileChangesSchema } from './profile-edit';

export const customerCreateV1 = z.object({
  customerId: z.string().uuid(),
  profile: profileChangesSchema.refine((c) => Boolean(c.firstName?.trim() || c.lastName?.trim()), 'A new customer needs a first or last name'),
  tags: z.array(z.string().trim().min(1).max(60)).max(50).optional(),
  consents: consentEditSchema.optional(),
});
export type CustomerCreatePayload = z.input<typeof customerCreateV1>;

export const customerCreate: CommandDef<CustomerCreatePayload> = {
  type: 'customer.create',
  version: 1,
  schemas: { 1: customerCreateV1 },
  roles: ['associate', 'cashier', 'manager'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  prefetch: (p, scope) => [
    { table: 'customers', keys: [p.customerId] },
    { table: 'locations', keys: [scope.storeId] },
  ],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const p = cmd.payload;
    const [found, store] = await Promise.all([b.get('customers', p.customerId), b.get('locations', ctx.scope.storeId)]);
    const base = found ?? {
      ...emptyCustomer(p.customerId, new Date(decodeHlc(cmd.at).wall).toISOString(), ctx.scope.storeId),
      createdBy: { at: cmd.at, storeId: ctx.scope.storeId, actor: cmd.actor },
    };
    const next = applyProfileEdit(base, { changes: p.profile, tags: p.tags ? { add: p.tags } : undefined, consents: p.consents }, { at: cmd.at, source: `store:${ctx.scope.storeId}`, actor: cmd.actor, country: store?.country ?? '' });
    // [O3] Created under the id the tablet minted: an id another command already used is `id-taken`.
    b.create('customers', next);
    b.summary = { customerId: p.customerId };
    return b.done();
  },
};
