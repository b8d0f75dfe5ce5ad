// A merge keeps everything both profiles had [CL4]: the survivor's own values, the other's where the
// survivor has none, every point and unit of credit, and both sets of tags, consents and wishes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeProfiles } from './customer-merge';
import { emptyCustomer } from './profile-edit';
import { members } from './sets';
import { encodeHlc } from '../shared/hlc';
import type { CustomerRow } from '../model';
import type { Minor } from '../shared/brand';

const at = (n: number) => encodeHlc({ wall: 1_000 + n, counter: 0, node: 'dev' });
const profile = (id: string, over: Partial<CustomerRow>): CustomerRow => ({ ...emptyCustomer(id, '2025-01-01T00:00:00.000Z', 'S01'), ...over });

describe('[CL4] merging two profiles', () => {
  it('[CL4] the survivor keeps its values, takes the other\'s where it has none, and adds up balances', () => {
    const s = profile('C1', { firstName: 'Duarte', lastName: 'Rocha', phone: '+351 912 000 001', tier: 'silver', points: 120, storeCredit: 500 as Minor, lifetimeSpend: 10_000 as Minor, tags: { vip: { on: true, at: at(1) } } });
    const m = profile('C2', { firstName: 'D.', lastName: 'Rocha', email: 'duarte@example.pt', tier: 'gold', points: 80, storeCredit: 250 as Minor, lifetimeSpend: 4_000 as Minor, createdAt: '2024-03-01T00:00:00.000Z', tags: { press: { on: true, at: at(2) } }, wishlist: { 'VT-1': { on: true, at: at(3) } }, mergedFrom: ['C0' as CustomerRow['id']] });
    const r = mergeProfiles(s, m);
    expect(r).toMatchObject({ id: 'C1', firstName: 'Duarte', email: 'duarte@example.pt', phone: '+351 912 000 001', tier: 'gold', points: 200, storeCredit: 750, lifetimeSpend: 14_000, createdAt: '2024-03-01T00:00:00.000Z', mergedFrom: ['C2', 'C0'] });
    expect(members(r.tags)).toEqual(['press', 'vip']);
    expect(members(r.wishlist)).toEqual(['VT-1']);
  });

  it('[CL4] no point, unit of credit or spend is lost or made up, whatever the balances', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 1_000_000 }), fc.integer({ min: -10_000, max: 1_000_000 }), fc.nat(1_000_000), fc.nat(1_000_000), (p1, p2, c1, c2) => {
        const r = mergeProfiles(profile('A', { points: p1, storeCredit: c1 as Minor }), profile('B', { points: p2, storeCredit: c2 as Minor }));
        expect(r.points).toBe(p1 + p2);
        expect(r.storeCredit).toBe(c1 + c2);
      }),
    );
  });
});
