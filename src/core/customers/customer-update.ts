// customer.update: edits profile fields. Each field merges on its own, last writer by HLC wins, so two
// tablets editing offline converge whatever order their commands reach the server.
import { z } from 'zod';
import type { CommandDef } from '../sync/command';
import { EffectsBuilder } from '../sync/command';
import { CUSTOMER_FIELDS, type CustomerField, type CustomerRow } from '../model';
import type { CustomerId, LocationId, Minor } from '../shared/brand';
import { decodeHlc, type Hlc } from '../shared/hlc';

const changesSchema = z
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
  changes: changesSchema,
  homeStoreId: z.string().regex(/^[A-Z0-9]{2,12}$/, 'homeStoreId is a store code such as S01').optional(),
});
export type CustomerUpdatePayload = z.infer<typeof customerUpdateV1>;

export function emptyCustomer(id: string, at: string, homeStoreId?: string): CustomerRow {
  return {
    id: id as CustomerId,
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    birthday: '',
    tier: '',
    clock: {},
    ...(homeStoreId ? { homeStoreId: homeStoreId as LocationId } : {}),
    points: 0,
    storeCredit: 0 as Minor,
    lifetimeSpend: 0 as Minor,
    createdAt: at,
  };
}

/** The pure per-field merge: applies `changes` written at `at` wherever `at` is newer than the field's clock. */
export function mergeCustomerFields(row: CustomerRow, changes: Partial<Record<CustomerField, string>>, at: Hlc): CustomerRow {
  const next: CustomerRow = { ...row, clock: { ...row.clock } };
  for (const f of CUSTOMER_FIELDS) {
    const v = changes[f];
    if (v === undefined) continue;
    const seen = row.clock[f];
    if (seen === undefined || at > seen) {
      next[f] = v;
      next.clock[f] = at;
    }
  }
  return next;
}

export const customerUpdate: CommandDef<CustomerUpdatePayload> = {
  type: 'customer.update',
  version: 1,
  schemas: { 1: customerUpdateV1 },
  // [O2] The web shop (a channel) and the server's own jobs (e.g. a merge follow-up) edit profiles too.
  roles: ['associate', 'cashier', 'manager', 'channel', 'system'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  prefetch: (p) => [{ table: 'customers', keys: [p.customerId] }],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const p = cmd.payload;
    const createdAt = new Date(decodeHlc(cmd.at).wall).toISOString();
    const current = (await b.get('customers', p.customerId)) ?? emptyCustomer(p.customerId, createdAt, p.homeStoreId ?? ctx.scope.storeId);
    const next = mergeCustomerFields(current, p.changes as Partial<Record<CustomerField, string>>, cmd.at);
    b.put('customers', next);
    b.summary = { customerId: p.customerId };
    return b.done();
  },
};
