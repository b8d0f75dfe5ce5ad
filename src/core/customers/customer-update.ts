// customer.update: edits an existing profile [CL3]. Each field merges on its own, last writer by HLC
// wins; tags, consents and the wishlist are add/remove sets. So two tablets editing offline converge
// whatever order their commands reach the server. Version 1 (fields only, creating an unknown
// customer) is still accepted from tablets that have not updated [C6].
import { z } from 'zod';
import type { CommandDef } from '../sync/command';
import { EffectsBuilder } from '../sync/command';
import { decodeHlc } from '../shared/hlc';
import { fail } from '../shared/errors';
import { erasedMessage, isErased, resolveCustomer } from './redirects';
import { applyProfileEdit, consentEditSchema, editIsEmpty, emptyCustomer, profileChangesSchema, setEditSchema, type ProfileEdit } from './profile-edit';

export { emptyCustomer, mergeCustomerFields } from './profile-edit';

const changesV1 = z
  .object({
    firstName: z.string().trim().max(80, 'First name is at most 80 characters'),
    lastName: z.string().trim().max(80, 'Last name is at most 80 characters'),
    email: z.union([z.literal(''), z.string().trim().max(254, 'An email address is at most 254 characters').email('Email must look like name@example.com')]),
    phone: z.union([z.literal(''), z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'Phone must be digits, spaces or dashes, optionally starting with +')]),
    birthday: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Birthday must be YYYY-MM-DD')]),
    tier: z.enum(['', 'silver', 'gold', 'platinum']),
  })
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'Change at least one field');

export const customerUpdateV1 = z.object({
  customerId: z.string().min(1).max(64, 'A customer id is at most 64 characters'),
  changes: changesV1,
  homeStoreId: z.string().regex(/^[A-Z0-9]{2,12}$/, 'homeStoreId is a store code such as S01').optional(),
});

export const customerUpdateV2 = z
  .object({
    customerId: z.string().min(1).max(64, 'A customer id is at most 64 characters'),
    changes: profileChangesSchema.default({}),
    tags: setEditSchema('A tag').optional(),
    wishlist: setEditSchema('A wishlist item').optional(),
    consents: consentEditSchema.optional(),
  })
  .refine((p) => !editIsEmpty(p), 'Change at least one field');

export type CustomerUpdatePayload = z.input<typeof customerUpdateV2> & {
  /** Set by the upcast of a version 1 payload: it creates an unknown customer and is not re-validated. */
  v1?: { homeStoreId?: string };
};

export const customerUpdate: CommandDef<CustomerUpdatePayload> = {
  type: 'customer.update',
  version: 2,
  schemas: { 1: customerUpdateV1, 2: customerUpdateV2 },
  upcast: (v, payload) => {
    const p = payload as z.infer<typeof customerUpdateV1>;
    return v === 1 ? { customerId: p.customerId, changes: p.changes, v1: { homeStoreId: p.homeStoreId } } : payload;
  },
  // [O2] The web shop (a channel) and the server's own jobs (e.g. a merge follow-up) edit profiles too.
  roles: ['associate', 'cashier', 'manager', 'channel', 'system'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  prefetch: (p, scope) => [
    { table: 'customers', keys: [p.customerId] },
    { table: 'locations', keys: [scope.storeId] },
  ],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const p = cmd.payload;
    // [CL4] An edit of a merged-away profile applies to the profile it was merged into.
    const [found, store] = await Promise.all([resolveCustomer(b, p.customerId), b.get('locations', ctx.scope.storeId)]);
    let current = found;
    if (!current) {
      // [CL6] An erased profile is never made again by an edit, even an old v1 one that creates.
      if (await isErased(b, p.customerId)) return fail('customer-erased', erasedMessage(p.customerId, 'this change was not saved'));
      if (!p.v1) return fail('unknown-customer', `There is no customer ${p.customerId} (the profile may have been merged or erased); search for the customer again.`);
      current = emptyCustomer(p.customerId, new Date(decodeHlc(cmd.at).wall).toISOString(), p.v1.homeStoreId ?? ctx.scope.storeId);
    }
    const edit: ProfileEdit = { changes: p.changes ?? {}, tags: p.tags, wishlist: p.wishlist, consents: p.consents };
    const next = applyProfileEdit(current, edit, { at: cmd.at, source: `store:${ctx.scope.storeId}`, actor: cmd.actor, country: store?.country ?? '', lenient: Boolean(p.v1) });
    b.put('customers', next);
    b.summary = { customerId: next.id };
    return b.done();
  },
};
