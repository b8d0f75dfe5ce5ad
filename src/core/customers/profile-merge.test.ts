// Profile edits converge [CL3]: per-field by HLC, tags/consents/wishlist as add/remove sets, in any
// order, any number of times, whatever the devices' clock skew.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyProfileEdit, emptyCustomer, type ProfileEdit } from './profile-edit';
import { applySetOp, members, mergeSets, type SetOp } from './sets';
import { encodeHlc, type Hlc } from '../shared/hlc';
import type { CustomerRow } from '../model';

const NODES = ['dev-S01-a', 'dev-S01-b', 'dev-S02-c'];
const TAGS = ['vip', 'bride', 'press', 'staff'];
const SKUS = ['VT-1-BLK-M', 'VT-2-RED-S', 'VT-3-BLU-L'];

/** Any edit a tablet could send: a few fields, tag/wishlist adds and removes, consent flips. */
const editArb: fc.Arbitrary<ProfileEdit> = fc.record(
  {
    changes: fc.record(
      {
        firstName: fc.constantFrom('Ana', 'Rita', 'Márcia', ''),
        lastName: fc.constantFrom('Lopes', 'Oliveira', 'Rocha'),
        email: fc.constantFrom('rita@example.com', 'r.lopes@mail.pt', ''),
        phone: fc.constantFrom('+351 912 345 678', '912345679', '+39 345 123 4567', ''),
        sizes: fc.dictionary(fc.constantFrom('Shoes', 'Tops', 'Trousers'), fc.constantFrom('S', 'M', '38', '40'), { maxKeys: 2 }),
        favoriteBrands: fc.subarray(['Atlântico', 'Norte', 'Brisa']),
      },
      { requiredKeys: [] },
    ),
    tags: fc.record({ add: fc.subarray(TAGS), remove: fc.subarray(TAGS) }, { requiredKeys: [] }),
    wishlist: fc.record({ add: fc.subarray(SKUS), remove: fc.subarray(SKUS) }, { requiredKeys: [] }),
    consents: fc.record({ email: fc.boolean(), sms: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: ['changes'] },
);

/**
 * Edits stamped by devices whose clocks are skewed by up to ±1 day: each device's own stamps grow
 * (its HLC ticks), but across devices any order is possible. HLCs are unique, as real ones are.
 */
const stampedEditsArb = fc
  .tuple(
    fc.array(fc.integer({ min: -86_400_000, max: 86_400_000 }), { minLength: NODES.length, maxLength: NODES.length }),
    fc.array(fc.tuple(fc.nat(NODES.length - 1), fc.integer({ min: 0, max: 120_000 }), editArb), { minLength: 1, maxLength: 12 }),
  )
  .map(([skews, raw]) => {
    const walls = NODES.map(() => 1_750_000_000_000);
    return raw.map(([d, step, edit], i) => {
      walls[d]! += step;
      const at = encodeHlc({ wall: walls[d]! + skews[d]!, counter: i, node: NODES[d]! });
      return { at, node: NODES[d]!, edit };
    });
  });

const base = (): CustomerRow => ({ ...emptyCustomer('C000001', '2025-01-01T00:00:00.000Z', 'S01'), firstName: 'Márcia', lastName: 'Oliveira' });

const applyAll = (edits: readonly { at: Hlc; node: string; edit: ProfileEdit }[]) =>
  edits.reduce((row, e) => applyProfileEdit(row, e.edit, { at: e.at, source: 'store:S01', actor: 'A-S01-ANA', country: 'PT' }), base());

describe('[CL3] profile merges converge', () => {
  it('[CL3] in any order and with any clock skew, every replica ends with the same profile', () => {
    fc.assert(
      fc.property(stampedEditsArb, fc.infiniteStream(fc.nat()), (edits, rnd) => {
        const shuffled = [...edits];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = rnd.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(applyAll(shuffled)).toEqual(applyAll(edits));
      }),
      { numRuns: 300 },
    );
  });

  it('[CL3] applying an edit twice (a retried push, a rebase replay) changes nothing more', () => {
    fc.assert(
      fc.property(stampedEditsArb, fc.nat(), (edits, k) => {
        const again = edits[k % edits.length]!;
        expect(applyAll([...edits, again])).toEqual(applyAll(edits));
      }),
      { numRuns: 200 },
    );
  });

  it('[CL3] each field keeps the value of the latest edit that set it (by HLC, not by arrival)', () => {
    fc.assert(
      fc.property(stampedEditsArb, (edits) => {
        const row = applyAll(edits);
        const setters = edits.filter((e) => e.edit.changes.firstName !== undefined).sort((a, b) => (a.at < b.at ? -1 : 1));
        const last = setters[setters.length - 1];
        expect(row.firstName).toBe(last ? last.edit.changes.firstName : 'Márcia');
      }),
      { numRuns: 200 },
    );
  });

  it('[CL3] a concurrent add and remove of one tag converge to whichever was stamped later, on both sides', () => {
    const early = encodeHlc({ wall: 1_000, counter: 0, node: 'dev-a' });
    const late = encodeHlc({ wall: 1_000, counter: 1, node: 'dev-b' });
    const add: SetOp = { member: 'vip', on: true, at: late };
    const remove: SetOp = { member: 'vip', on: false, at: early };
    const ab = applySetOp(applySetOp(undefined, add), remove);
    const ba = applySetOp(applySetOp(undefined, remove), add);
    expect(ab).toEqual(ba);
    expect(members(ab)).toEqual(['vip']);
    expect(mergeSets(applySetOp(undefined, add), applySetOp(undefined, remove))).toEqual(ab);
  });

  it('[CL1] a consent records when, where and by whom it was given or withdrawn', () => {
    const at = encodeHlc({ wall: Date.UTC(2025, 4, 2, 10), counter: 0, node: 'dev-S01-a' });
    const row = applyProfileEdit(base(), { changes: {}, consents: { email: true, sms: false } }, { at, source: 'store:S01', actor: 'A-S01-ANA', country: 'PT' });
    expect(row.consents).toEqual({
      email: { on: true, at, source: 'store:S01', by: 'A-S01-ANA' },
      sms: { on: false, at, source: 'store:S01', by: 'A-S01-ANA' },
    });
  });
});
