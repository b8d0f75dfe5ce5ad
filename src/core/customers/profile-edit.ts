// The pure merge of one profile edit [CL3]: scalar fields per field by HLC, structured fields
// (addresses, sizes, favourites) each as one value by HLC, tags, consents and the wishlist as
// add/remove sets. Shared by customer.create and customer.update, on tablet and server alike.
import { z } from 'zod';
import { CUSTOMER_DOC_FIELDS, CUSTOMER_FIELDS, type CustomerDocField, type CustomerField, type CustomerRow } from '../model';
import type { CustomerId, LocationId, Minor } from '../shared/brand';
import type { Hlc } from '../shared/hlc';
import { fail } from '../shared/errors';
import { applySetOp } from './sets';
import { checkEmail, checkPhone, contactMessage } from './contact';

export const CONSENT_CHANNELS = ['email', 'sms'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

const short = (what: string, max: number) => z.string().trim().max(max, `${what} is at most ${max} characters`);
const member = (what: string) => z.string().trim().min(1, `${what} cannot be empty`).max(60, `${what} is at most 60 characters`);

export const addressSchema = z.object({
  street: short('Street', 120),
  city: short('City', 80),
  postalCode: short('Postal code', 20),
  country: z.string().regex(/^[A-Z]{2}$/, 'Country is a two-letter code like PT'),
});

/** Fields an edit may set; each is optional. Contact fields are checked by the handler (per country). */
export const profileChangesSchema = z
  .object({
    firstName: short('First name', 80),
    lastName: short('Last name', 80),
    email: short('Email', 254),
    phone: short('Phone', 30),
    birthday: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Birthday must be YYYY-MM-DD')]),
    tier: z.enum(['', 'silver', 'gold', 'platinum']),
    addresses: z.array(addressSchema).max(5, 'A profile keeps at most 5 addresses'),
    sizes: z.record(member('A category'), short('A size', 12)).refine((s) => Object.keys(s).length <= 30, 'At most 30 size categories'),
    favoriteBrands: z.array(member('A brand')).max(20, 'At most 20 favourite brands'),
    favoriteColors: z.array(member('A colour')).max(20, 'At most 20 favourite colours'),
  })
  .partial();
export type ProfileChanges = z.infer<typeof profileChangesSchema>;

export const setEditSchema = (what: string) =>
  z
    .object({
      add: z.array(member(what)).max(50),
      remove: z.array(member(what)).max(50),
    })
    .partial();
export type SetEdit = z.infer<ReturnType<typeof setEditSchema>>;

export const consentEditSchema = z.object({ email: z.boolean(), sms: z.boolean() }).partial();
export type ConsentEdit = z.infer<typeof consentEditSchema>;

export interface ProfileEdit {
  changes: ProfileChanges;
  tags?: SetEdit;
  wishlist?: SetEdit;
  consents?: ConsentEdit;
}

export interface EditContext {
  at: Hlc;
  /** Where the edit was made (a consent's source), e.g. "store:S01". */
  source: string;
  actor: string;
  /** Country a phone without country code is read in (the store's). */
  country: string;
  /** Old command versions are not re-validated against rules they never knew [C6]. */
  lenient?: boolean;
}

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
export function mergeCustomerFields(row: CustomerRow, changes: Partial<Record<CustomerField, string>> & Partial<Pick<CustomerRow, CustomerDocField>>, at: Hlc): CustomerRow {
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
  for (const f of CUSTOMER_DOC_FIELDS) {
    const v = changes[f];
    if (v === undefined) continue;
    const seen = row.clock[f];
    if (seen === undefined || at > seen) {
      (next as unknown as Record<string, unknown>)[f] = v;
      next.clock[f] = at;
    }
  }
  return next;
}

/** Contact fields normalised (lower-case e-mail, phone with its country code), or a refusal. */
export function checkedChanges(changes: ProfileChanges, ctx: Pick<EditContext, 'country' | 'lenient'>): ProfileChanges {
  if (ctx.lenient) return changes;
  const out = { ...changes };
  if (changes.email !== undefined) {
    const c = checkEmail(changes.email);
    if (!c.ok) return fail('invalid-email', contactMessage(c));
    out.email = c.value;
  }
  if (changes.phone !== undefined) {
    const c = checkPhone(changes.phone, ctx.country);
    if (!c.ok) return fail('invalid-phone', contactMessage(c));
    out.phone = c.value;
  }
  return out;
}

/** Applies an edit to a profile. Commutes with any other edit: the result depends only on the set of edits. */
export function applyProfileEdit(row: CustomerRow, edit: ProfileEdit, ctx: EditContext): CustomerRow {
  let next = mergeCustomerFields(row, checkedChanges(edit.changes, ctx), ctx.at);
  const ops = (state: CustomerRow['tags'], e: SetEdit | undefined) => {
    let s = state;
    for (const m of e?.add ?? []) s = applySetOp(s, { member: m, on: true, at: ctx.at });
    for (const m of e?.remove ?? []) s = applySetOp(s, { member: m, on: false, at: ctx.at });
    return s;
  };
  if (edit.tags) next = { ...next, tags: ops(next.tags, edit.tags) ?? {} };
  if (edit.wishlist) next = { ...next, wishlist: ops(next.wishlist, edit.wishlist) ?? {} };
  if (edit.consents) {
    let consents = next.consents ?? {};
    for (const ch of CONSENT_CHANNELS) {
      const on = edit.consents[ch];
      if (on !== undefined) consents = applySetOp(consents, { member: ch, on, at: ctx.at, source: ctx.source, by: ctx.actor });
    }
    next = { ...next, consents };
  }
  return next;
}

/** Whether an edit changes anything at all (an empty one is refused). */
export const editIsEmpty = (e: ProfileEdit): boolean =>
  Object.keys(e.changes).length === 0 &&
  !(e.tags?.add?.length || e.tags?.remove?.length) &&
  !(e.wishlist?.add?.length || e.wishlist?.remove?.length) &&
  !(e.consents && Object.keys(e.consents).length > 0);
