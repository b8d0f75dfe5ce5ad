// Clienteling on the server, SQLite and PostgreSQL [CL1][CL3]: customer.create, customer.update v2
// (validation per country, sets), and the per-customer history published on the customers stream.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { backends, seedSmall, type TestDb } from './helpers/stores';
import { TestTablet, sellable, ANA, CARLOS } from './helpers/client';
import { createApp } from '../src/http/app';
import { generateChain, DEFAULT_SEED, type GeneratedChain } from '../src/seed/generate';
import type { CustomerRow, HistoryRow } from '../../src/core/model';
import { buildHistories } from '../../src/core/customers/history';
import { members } from '../../src/core/customers/sets';

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let chain: GeneratedChain;
    let app: FastifyInstance;

    beforeAll(async () => {
      db = await backend.open();
      chain = await seedSmall(db.store);
      app = await createApp({ store: db.store, rollupIntervalMs: 0 });
    });
    afterAll(async () => {
      await app.close();
      await db.destroy();
    });

    it('[CL3] customer.create makes a profile with normalised contact details, tags and dated consents', async () => {
      const t = await TestTablet.enroll(app, 'Create');
      const id = randomUUID();
      const cmd = t.command('customer.create', { customerId: id, profile: { firstName: 'Inês', lastName: 'Duarte', email: ' Ines.Duarte@Example.com', phone: '912 345 678' }, tags: ['vip'], consents: { email: true, sms: false } }, { actor: ANA, v: 1 });
      const res = await t.pushOk([cmd]);
      expect(res.results[0]).toMatchObject({ status: 'applied' });
      const row = (await db.store.getRow('customers', id)) as CustomerRow;
      expect(row).toMatchObject({ firstName: 'Inês', email: 'ines.duarte@example.com', phone: '+351 912 345 678', homeStoreId: 'S01', createdBy: { actor: ANA, storeId: 'S01' } });
      expect(members(row.tags)).toEqual(['vip']);
      expect(row.consents?.email).toMatchObject({ on: true, at: cmd.at, source: 'store:S01', by: ANA });
      expect(row.consents?.sms).toMatchObject({ on: false });
    });

    it('[CL3] an invalid e-mail or a phone that does not fit its country is rejected with a sentence to act on', async () => {
      const t = await TestTablet.enroll(app, 'Invalid');
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
      const t = await TestTablet.enroll(app, 'Update v2');
      const c = chain.customers[3]!;
      const res = await t.pushOk([
        t.command('customer.update', { customerId: c.id, changes: { sizes: { Shoes: '38' }, favoriteBrands: ['Norte'] }, tags: { add: ['bride'] }, wishlist: { add: ['VT-1-BLK-M'] }, consents: { sms: true } }, { actor: ANA, v: 2 }),
        t.command('customer.update', { customerId: c.id, tags: { remove: ['bride'] } }, { actor: ANA, v: 2 }),
        t.command('customer.update', { customerId: 'C-GONE', changes: { firstName: 'Ghost' } }, { actor: ANA, v: 2 }),
      ]);
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
      expect(res.results[2]).toMatchObject({ error: { code: 'unknown-customer' } });
      const row = (await db.store.getRow('customers', c.id)) as CustomerRow;
      expect(row).toMatchObject({ sizes: { Shoes: '38' }, favoriteBrands: ['Norte'], firstName: c.firstName });
      expect(members(row.tags)).toEqual([]);
      expect(members(row.wishlist)).toEqual(['VT-1-BLK-M']);
      expect(await db.store.getRow('customers', 'C-GONE')).toBeUndefined();
    });

    it('[CL1][M1] a sale to a customer adds it, with its lines, to the history row on the customers stream', async () => {
      const t = await TestTablet.enroll(app, 'History');
      const c = chain.customers[5]!;
      const before = ((await db.store.getRow('history', c.id)) as HistoryRow | undefined)?.count ?? 0;
      const { stock, unitPrice } = sellable(chain, 1)[0]!;
      const sale = t.sale([{ sku: stock.sku, qty: 1, unitPrice }], { actor: CARLOS, customerId: c.id });
      await t.pushOk([sale]);
      const pulled = (await t.pullAll('customers')).find((r) => r.table === 'history' && r.key === c.id);
      const row = (pulled && 'row' in pulled ? pulled.row : undefined) as HistoryRow | undefined;
      expect(row?.count).toBe(before + 1);
      expect(row?.entries[0]).toMatchObject({ id: (sale.payload as { saleId: string }).saleId, kind: 'sale', channel: 'store', storeId: 'S01', lines: [{ sku: stock.sku, qty: 1, amount: unitPrice }] });
    });

    it('[CL1] the seeded history holds every seeded sale and web order of a customer, in any store', async () => {
      for (const h of buildHistories(chain.sales, chain.orders).slice(0, 10)) {
        const row = (await db.store.getRow('history', h.customerId)) as HistoryRow;
        // Other tests of this file sell to some of them: the seeded entries are all there, maybe with more.
        expect(row.entries.map((e) => e.number)).toEqual(expect.arrayContaining(h.entries.map((e) => e.number)));
      }
      const order = chain.orders[0]!;
      const row = (await db.store.getRow('history', order.customerId)) as HistoryRow;
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
