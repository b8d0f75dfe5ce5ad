// Clienteling on the server, SQLite and PostgreSQL [CL1][CL3]: customer.create, customer.update v2
// (validation per country, sets), and the per-customer history published on the customers stream.
import { describe, it, expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { backends } from './helpers/stores';
import { seededApp } from './helpers/fixture';
import { TestTablet, sellable, ANA, CARLOS, MARTA } from './helpers/client';
import { createTestApp as createApp } from './helpers/client';
import { generateChain, DEFAULT_SEED } from '../src/seed/generate';
import type { CustomerRow, HistoryRow, NoteRow, RedirectRow } from '../../src/core/model';
import { buildHistories } from '../../src/core/customers/history';
import { members } from '../../src/core/customers/sets';

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    const fx = seededApp(backend, (store) => createApp({ store, rollupIntervalMs: 0 }));

    it('[CL3] customer.create makes a profile with normalised contact details, tags and dated consents', async () => {
      const t = await TestTablet.enroll(fx.app, 'Create');
      const id = randomUUID();
      const cmd = t.command('customer.create', { customerId: id, profile: { firstName: 'Inês', lastName: 'Duarte', email: ' Ines.Duarte@Example.com', phone: '912 345 678' }, tags: ['vip'], consents: { email: true, sms: false } }, { actor: ANA, v: 1 });
      const res = await t.pushOk([cmd]);
      expect(res.results[0]).toMatchObject({ status: 'applied' });
      const row = (await fx.db.store.getRow('customers', id)) as CustomerRow;
      expect(row).toMatchObject({ firstName: 'Inês', email: 'ines.duarte@example.com', phone: '+351 912 345 678', homeStoreId: 'S01', createdBy: { actor: ANA, storeId: 'S01' } });
      expect(members(row.tags)).toEqual(['vip']);
      expect(row.consents?.email).toMatchObject({ on: true, at: cmd.at, source: 'store:S01', by: ANA });
      expect(row.consents?.sms).toMatchObject({ on: false });
    });

    it('[CL3] an invalid e-mail or a phone that does not fit its country is rejected with a sentence to act on', async () => {
      const t = await TestTablet.enroll(fx.app, 'Invalid');
      const res = await t.pushOk([
        t.command('customer.create', { customerId: randomUUID(), profile: { firstName: 'X', email: 'x@nowhere' } }, { actor: ANA }),
        t.command('customer.create', { customerId: randomUUID(), profile: { firstName: 'Y', phone: '+351 12 34' } }, { actor: ANA }),
        t.command('customer.create', { customerId: randomUUID(), profile: { email: 'y@example.com' } }, { actor: ANA }),
      ]);
      expect(res.results).toMatchObject([
        { status: 'rejected', error: { code: 'invalid-email', message: 'Email must look like name@example.com.' } },
        { status: 'rejected', error: { code: 'invalid-phone', message: 'That phone number does not fit its country; write it like +351 912 345 678.' } },
        { status: 'rejected', error: { code: 'invalid-payload' } },
      ]);
    });

    it('[CL3] customer.update v2 edits fields and sets of an existing profile, and refuses an unknown one', async () => {
      const t = await TestTablet.enroll(fx.app, 'Update v2');
      const c = fx.chain.customers[3]!;
      const res = await t.pushOk([
        t.command('customer.update', { customerId: c.id, changes: { sizes: { Shoes: '38' }, favoriteBrands: ['Norte'] }, tags: { add: ['bride'] }, wishlist: { add: ['VT-1-BLK-M'] }, consents: { sms: true } }, { actor: ANA, v: 2 }),
        t.command('customer.update', { customerId: c.id, tags: { remove: ['bride'] } }, { actor: ANA, v: 2 }),
        t.command('customer.update', { customerId: 'C-GONE', changes: { firstName: 'Ghost' } }, { actor: ANA, v: 2 }),
      ]);
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
      expect(res.results[2]).toMatchObject({ error: { code: 'unknown-customer' } });
      const row = (await fx.db.store.getRow('customers', c.id)) as CustomerRow;
      expect(row).toMatchObject({ sizes: { Shoes: '38' }, favoriteBrands: ['Norte'], firstName: c.firstName });
      expect(members(row.tags)).toEqual([]);
      expect(members(row.wishlist)).toEqual(['VT-1-BLK-M']);
      expect(await fx.db.store.getRow('customers', 'C-GONE')).toBeUndefined();
    });

    it('[CL1][M1] a sale to a customer adds it, with its lines, to the history row on the customers stream', async () => {
      const t = await TestTablet.enroll(fx.app, 'History');
      const c = fx.chain.customers[5]!;
      const before = ((await fx.db.store.getRow('history', c.id)) as HistoryRow | undefined)?.count ?? 0;
      const { stock, unitPrice } = sellable(fx.chain, 1)[0]!;
      const sale = t.sale([{ sku: stock.sku, qty: 1, unitPrice }], { actor: CARLOS, customerId: c.id });
      await t.pushOk([sale]);
      const pulled = (await t.pullAll('customers')).find((r) => r.table === 'history' && r.key === c.id);
      const row = (pulled && 'row' in pulled ? pulled.row : undefined) as HistoryRow | undefined;
      expect(row?.count).toBe(before + 1);
      expect(row?.entries[0]).toMatchObject({ id: (sale.payload as { saleId: string }).saleId, kind: 'sale', channel: 'store', storeId: 'S01', lines: [{ sku: stock.sku, qty: 1, amount: unitPrice }] });
    });

    it('[CL4] a manager merges two profiles: every point, credit, purchase, note and wish moves to the survivor; the other leaves the stream', async () => {
      const t = await TestTablet.enroll(fx.app, 'Merge');
      const [survivor, merged] = [fx.chain.customers[10]!, fx.chain.customers[11]!];
      const noteId = randomUUID();
      await t.pushOk([
        t.command('note.add', { noteId, customerId: merged.id, text: 'Prefers to be called Bia' }, { actor: ANA }),
        t.command('customer.update', { customerId: merged.id, tags: { add: ['press'] }, wishlist: { add: ['VT-9'] } }, { actor: ANA, v: 2 }),
      ]);
      const before = await Promise.all([survivor.id, merged.id].map(async (id) => ({ row: (await fx.db.store.getRow('customers', id)) as CustomerRow, history: (await fx.db.store.getRow('history', id)) as HistoryRow | undefined })));
      const byAssociate = t.command('customer.merge', { survivorId: survivor.id, mergedId: merged.id }, { actor: ANA });
      const merge = t.command('customer.merge', { survivorId: survivor.id, mergedId: merged.id }, { actor: MARTA });
      const again = t.command('customer.merge', { survivorId: survivor.id, mergedId: merged.id }, { actor: MARTA });
      const res = await t.pushOk([byAssociate, merge, again]);
      expect(res.results.map((r) => r.status)).toEqual(['rejected', 'applied', 'applied']);
      expect(res.results[0]).toMatchObject({ error: { code: 'forbidden' } });
      expect(res.results[2]).toMatchObject({ summary: { alreadyMerged: true } });

      const row = (await fx.db.store.getRow('customers', survivor.id)) as CustomerRow;
      expect(row.points).toBe(before[0]!.row.points + before[1]!.row.points);
      expect(row.storeCredit).toBe(before[0]!.row.storeCredit + before[1]!.row.storeCredit);
      expect(row.lifetimeSpend).toBe(before[0]!.row.lifetimeSpend + before[1]!.row.lifetimeSpend);
      expect(row.mergedFrom).toEqual([merged.id]);
      expect(members(row.tags)).toContain('press');
      expect(members(row.wishlist)).toContain('VT-9');
      const history = (await fx.db.store.getRow('history', survivor.id)) as HistoryRow;
      const numbers = [...(before[0]!.history?.entries ?? []), ...(before[1]!.history?.entries ?? [])].map((e) => e.number).sort();
      expect(history.entries.map((e) => e.number).sort()).toEqual(numbers);
      // Balances stay the sum of their entries on both sides.
      const ledger = await fx.db.store.db.selectFrom('ledger').select(['account', 'amount']).where('account', 'in', [`points:${survivor.id}`, `points:${merged.id}`]).execute();
      const sum = (acc: string) => ledger.filter((e) => e.account === acc).reduce((n, e) => n + Number(e.amount), 0);
      expect(sum(`points:${survivor.id}`)).toBe(row.points);
      expect(sum(`points:${merged.id}`)).toBe(0);
      // The merged profile leaves the stream [M2]; its note stays and shows on the survivor.
      const changes = await t.pullAll('customers');
      expect(changes.find((c) => c.table === 'customers' && c.key === merged.id)).toMatchObject({ deleted: true });
      expect(changes.find((c) => c.table === 'redirects' && c.key === merged.id)).toMatchObject({ row: { id: merged.id, to: survivor.id, by: MARTA } });
      expect(await fx.db.store.getRow('customers', merged.id)).toBeUndefined();
      expect(((await fx.db.store.getRow('notes', noteId)) as NoteRow).customerId).toBe(merged.id);
    });

    it('[CL4] later commands naming the merged-away profile follow the redirect: a sale credits the survivor, a note and an edit land there', async () => {
      const t = await TestTablet.enroll(fx.app, 'Redirect');
      const [survivor, merged] = [fx.chain.customers[12]!, fx.chain.customers[13]!];
      await t.pushOk([t.command('customer.merge', { survivorId: survivor.id, mergedId: merged.id }, { actor: MARTA })]);
      const pointsBefore = ((await fx.db.store.getRow('customers', survivor.id)) as CustomerRow).points;
      const { stock, unitPrice } = sellable(fx.chain, 1)[0]!;
      const sale = t.sale([{ sku: stock.sku, qty: 1, unitPrice }], { actor: CARLOS, customerId: merged.id });
      const noteId = randomUUID();
      const res = await t.pushOk([
        sale,
        t.command('note.add', { noteId, customerId: merged.id, text: 'Asked about the linen shirt' }, { actor: ANA }),
        t.command('customer.update', { customerId: merged.id, changes: { birthday: '1990-04-02' } }, { actor: ANA, v: 2 }),
      ]);
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      const row = (await fx.db.store.getRow('customers', survivor.id)) as CustomerRow;
      expect(row.points).toBeGreaterThan(pointsBefore);
      expect(row.birthday).toBe('1990-04-02');
      expect(((await fx.db.store.getRow('notes', noteId)) as NoteRow).customerId).toBe(survivor.id);
      const history = (await fx.db.store.getRow('history', survivor.id)) as HistoryRow;
      expect(history.entries[0]).toMatchObject({ id: (sale.payload as { saleId: string }).saleId });
      expect(await fx.db.store.getRow('customers', merged.id)).toBeUndefined();
      expect(((await fx.db.store.getRow('redirects', merged.id)) as RedirectRow).to).toBe(survivor.id);
    });

    it('[CL1] the seeded history holds every seeded sale and web order of a customer, in any store', async () => {
      // Customers 11 and 13 were merged away above: their histories moved to the survivors.
      const mergedAway = new Set([fx.chain.customers[11]!.id, fx.chain.customers[13]!.id] as string[]);
      for (const h of buildHistories(fx.chain.sales, fx.chain.orders).filter((x) => !mergedAway.has(x.customerId)).slice(0, 10)) {
        const row = (await fx.db.store.getRow('history', h.customerId)) as HistoryRow;
        // Other tests of this file sell to some of them: the seeded entries are all there, maybe with more.
        expect(row.entries.map((e) => e.number)).toEqual(expect.arrayContaining(h.entries.map((e) => e.number)));
      }
      const order = fx.chain.orders.find((o) => !mergedAway.has(o.customerId))!;
      const row = (await fx.db.store.getRow('history', order.customerId)) as HistoryRow;
      expect(row.entries.find((e) => e.number === order.number)).toMatchObject({ kind: 'order', channel: 'web', total: order.total });
    });
  });
}

describe('[CL1] the demo chain', () => {
  it('[CL1] Márcia Oliveira placed web order W100001, and her history shows it', () => {
    const chain = generateChain({ ...DEFAULT_SEED, now: Date.UTC(2025, 5, 1, 12) });
    const order = chain.orders.find((o) => o.number === 'W100001')!;
    expect(order.customerName).toBe('Márcia Oliveira');
    const history = buildHistories(chain.sales, chain.orders).find((h) => h.customerId === order.customerId)!;
    expect(history.entries.map((e) => e.number)).toContain('W100001');
  }, 60_000);
});
