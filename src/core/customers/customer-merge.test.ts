// A merge keeps everything both profiles had [CL4]: the survivor's own values, the other's where the
// survivor has none, every point and unit of credit, and both sets of tags, consents and wishes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { customerMerge, mergeProfiles, type CustomerMergePayload } from './customer-merge';
import type { Command, LedgerEntry, ReadTx } from '../sync/command';
import { DomainError } from '../shared/errors';
import { emptyCustomer } from './profile-edit';
import { members } from './sets';
import { encodeHlc } from '../shared/hlc';
import type { CustomerRow, NoteRow } from '../model';
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

/** An in-memory store the merge handler runs against, applying its effects as the server would. */
function memoryStore(rows: { customers: CustomerRow[]; notes: NoteRow[] }) {
  const tables = new Map<string, Map<string, unknown>>([
    ['customers', new Map(rows.customers.map((c) => [c.id, c]))],
    ['notes', new Map(rows.notes.map((n) => [n.id, n]))],
    ['history', new Map()],
    ['redirects', new Map()],
  ]);
  const ledger: LedgerEntry[] = [];
  const tx: ReadTx = {
    get: async (t, k) => tables.get(t)?.get(k) as never,
    getMany: async (t, ks) => ks.map((k) => tables.get(t)?.get(k)) as never,
    productsBySku: async (skus) => skus.map(() => undefined),
  };
  let seq = 0;
  return {
    tables,
    ledger,
    async merge(survivorId: string, mergedId: string) {
      seq += 1;
      const cmd: Command<CustomerMergePayload> = { id: `cmd-${seq}`, deviceId: 'dev', seq, type: 'customer.merge', v: 1, at: at(seq), actor: 'A-S01-MARTA', payload: { survivorId, mergedId } };
      try {
        const fx = await customerMerge.handle({ tx, scope: { deviceId: 'dev', storeId: 'S01' }, side: 'server', principal: { kind: 'associate', id: 'A-S01-MARTA', role: 'manager', storeId: 'S01', deviceId: 'dev' } }, cmd);
        for (const p of fx.puts) tables.get(p.table)!.set(p.key, p.row);
        for (const d of fx.deletes ?? []) tables.get(d.table)!.delete(d.key);
        ledger.push(...fx.ledger);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
      }
    },
  };
}

describe('[CL4] a merge keeps every point and note', () => {
  it('[CL4][LO2] through any sequence of merges (chains, repeats, merged-away ids), no point or credit is lost and every note shows on exactly one profile (property)', async () => {
    const ids = ['C1', 'C2', 'C3', 'C4', 'C5'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.nat(10_000), { minLength: 5, maxLength: 5 }),
        fc.array(fc.nat(4), { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(4), fc.nat(4)), { minLength: 1, maxLength: 10 }),
        async (points, credit, noteOwners, merges) => {
          const customers = ids.map((id, i) => profile(id, { points: points[i]!, storeCredit: credit[i]! as Minor }));
          const notes: NoteRow[] = noteOwners.map((o, i) => ({ id: `N${i}`, customerId: ids[o]! as CustomerRow['id'], text: `note ${i}`, author: 'A-S01-ANA' as NoteRow['author'], authorName: 'Ana', at: at(0) }));
          const s = memoryStore({ customers, notes });
          for (const [a, b] of merges) await s.merge(ids[a]!, ids[b]!);
          const live = [...s.tables.get('customers')!.values()] as CustomerRow[];
          const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
          // Every point and unit of credit is on a live profile.
          expect(sum(live.map((c) => c.points))).toBe(sum(points));
          expect(sum(live.map((c) => c.storeCredit))).toBe(sum(credit));
          // Balances stay the opening balance plus the entries of each account [LO2]: merged-away accounts end at 0.
          const moved = (acc: string) => sum(s.ledger.filter((e) => e.account === acc).map((e) => e.amount));
          ids.forEach((id, i) => {
            const row = live.find((c) => c.id === id);
            expect(points[i]! + moved(`points:${id}`)).toBe(row ? row.points : 0);
            expect(credit[i]! + moved(`credit:${id}`)).toBe(row ? row.storeCredit : 0);
          });
          // Every note still exists and shows on exactly one live profile (its own, or the one it was merged into).
          for (const n of notes) {
            expect(s.tables.get('notes')!.get(n.id)).toEqual(n);
            expect(live.filter((c) => [c.id, ...(c.mergedFrom ?? [])].includes(n.customerId))).toHaveLength(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
