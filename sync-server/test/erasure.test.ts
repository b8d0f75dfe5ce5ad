// Erasure at the customer's request [CL6], SQLite and PostgreSQL: a manager (with a manager's approval
// for this customer [RO3][T2]) or the admin API erases a profile; its profile, history and notes leave
// the server (tombstones for every tablet's next pull), orders and exceptions naming it are anonymised,
// sales and ledgers stay under the opaque id, and later commands naming it are answered in words.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { backends, seedSmall, type TestDb } from './helpers/stores';
import { TestTablet, sellable, approvalBy, ANA, CARLOS, MARTA } from './helpers/client';
import { createTestApp as createApp } from './helpers/client';
import { testTrustConfig } from '../src/http/trust-config';
import { runDueJobs } from '../src/jobs/worker';
import type { GeneratedChain } from '../src/seed/generate';
import type { CustomerRow, ExceptionRow, OrderRow, RedirectRow, SaleRow } from '../../src/core/model';
import { eraseSubject, ERASED_EXCEPTION_MESSAGE } from '../../src/core/customers/customer-erase';

const ADMIN = { authorization: 'Bearer demo-admin-token' };

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let chain: GeneratedChain;
    let app: FastifyInstance;
    const clock = { now: () => Date.now() };

    beforeAll(async () => {
      db = await backend.open();
      chain = await seedSmall(db.store);
      app = await createApp({ store: db.store, rollupIntervalMs: 0, trust: testTrustConfig(), clock });
    });
    afterAll(async () => {
      await app.close();
      await db.destroy();
    });

    it('[CL6] a manager erases a customer with approval: profile, history, notes and merged-in profiles leave every tablet; orders and exceptions are anonymised; sales and ledgers stay', async () => {
      const t = await TestTablet.enroll(app, 'Erase');
      const order = chain.orders[0]!;
      const target = chain.customers.find((c) => c.id === order.customerId)!;
      const dup = chain.customers.find((c) => c.id !== target.id && !chain.orders.some((o) => o.customerId === c.id))!;
      const [noteId, dupNoteId] = [randomUUID(), randomUUID()];
      const { stock, unitPrice } = sellable(chain, 1)[0]!;
      // An overdraft names her in its message; a sale and ledger entries are hers.
      const big = (target.points + 10_000) / 100;
      const first = [
        t.command('note.add', { noteId, customerId: target.id, text: `Call ${target.firstName} about the alteration` }, { actor: ANA }),
        t.command('note.add', { noteId: dupNoteId, customerId: dup.id, text: 'Second profile' }, { actor: ANA }),
        t.command('customer.merge', { survivorId: target.id, mergedId: dup.id }, { actor: MARTA }),
      ];
      const qty = Math.ceil((big * 100) / unitPrice) + 1;
      const sale = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty, unitPrice }], { customerId: target.id }), tenders: [{ kind: 'loyalty', amount: Math.ceil(big * 100) }, { kind: 'cash', amount: qty * unitPrice - Math.ceil(big * 100) }] }, { actor: CARLOS, v: 2 });
      const setup = await t.pushOk([...first, sale]);
      expect(setup.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
      const overdraft = (await db.store.getRow('exceptions', `${sale.id}:loyalty-overdraft`)) as ExceptionRow;
      expect(overdraft.message).toContain(target.lastName);
      const before = await t.pullAll('customers');
      const cursor = Math.max(0, ...before.map((c) => c.version));

      // Without an approval, or with one for another customer, nothing is erased.
      const wrong = await approvalBy(db.store, MARTA, t.id, t.wall, eraseSubject(dup.id));
      const refused = await t.pushOk([
        t.command('customer.erase', { customerId: target.id }, { actor: MARTA }),
        t.command('customer.erase', { customerId: target.id, approval: wrong }, { actor: MARTA }),
        t.command('customer.erase', { customerId: target.id, approval: await approvalBy(db.store, MARTA, t.id, t.wall, eraseSubject(target.id)) }, { actor: ANA }),
      ]);
      expect(refused.results).toMatchObject([
        { status: 'rejected', error: { code: 'approval-required' } },
        { status: 'rejected', error: { code: 'approval-required', message: expect.stringContaining('not for erasing customer') } },
        { status: 'rejected', error: { code: 'forbidden' } },
      ]);
      expect(await db.store.getRow('customers', target.id)).toBeDefined();

      const erase = t.command('customer.erase', { customerId: dup.id, approval: await approvalBy(db.store, MARTA, t.id, t.wall, eraseSubject(dup.id)) }, { actor: MARTA });
      const res = await t.pushOk([erase]);
      // Named by the merged-away id, the erasure reaches the profile it was merged into.
      expect(res.results[0]).toMatchObject({ status: 'applied', summary: { customerId: target.id } });
      for (const [table, key] of [['customers', target.id], ['history', target.id], ['notes', noteId], ['notes', dupNoteId]] as const) expect(await db.store.getRow(table, key)).toBeUndefined();
      const changes = await t.pullAll('customers', cursor);
      for (const [table, key] of [['customers', target.id], ['history', target.id], ['notes', noteId], ['notes', dupNoteId]]) expect(changes.filter((c) => c.table === table && c.key === key).pop()).toMatchObject({ deleted: true });
      for (const id of [target.id, dup.id]) expect(((await db.store.getRow('redirects', id)) as RedirectRow)).toMatchObject({ id, to: id, erased: true });
      // Nothing personal is left on the customers stream.
      const live = JSON.stringify((await t.pullAll('customers')).filter((c) => 'row' in c));
      for (const word of [target.email, target.phone, `${target.firstName} about`]) if (word) expect(live).not.toContain(word);

      // The follow-up anonymises orders and exceptions in any store.
      await runDueJobs(db.store, clock);
      const o = (await db.store.getRow('orders', order.id)) as OrderRow;
      expect(o).toMatchObject({ customerId: target.id, customerName: '' });
      expect(o.contact).toBeUndefined();
      const ex = (await db.store.getRow('exceptions', `${sale.id}:loyalty-overdraft`)) as ExceptionRow;
      expect(ex).toMatchObject({ kind: 'loyalty-overdraft', message: ERASED_EXCEPTION_MESSAGE, details: { anonymised: true } });
      expect(JSON.stringify(ex)).not.toContain(target.lastName);
      // Sales and ledger entries stay, under the opaque id only.
      expect(((await db.store.getRow('sales', (sale.payload as { saleId: string }).saleId)) as SaleRow).customerId).toBe(target.id);
      const ledger = await db.store.db.selectFrom('ledger').select('id').where('account', '=', `points:${target.id}`).execute();
      expect(ledger.length).toBeGreaterThan(0);
    });

    it('[CL6] later commands naming an erased customer are answered in words; a sale is kept without the customer', async () => {
      const t = await TestTablet.enroll(app, 'After erasure');
      const c = chain.customers[20]!;
      const erased = await app.inject({ method: 'POST', url: `/api/v1/admin/customers/${c.id}/erase`, headers: ADMIN });
      expect(erased.statusCode).toBe(200);
      const { stock, unitPrice } = sellable(chain, 1)[0]!;
      const later = [
        t.command('note.add', { noteId: randomUUID(), customerId: c.id, text: 'Still here?' }, { actor: ANA }),
        t.command('customer.update', { customerId: c.id, changes: { firstName: 'Back' } }, { actor: ANA, v: 2 }),
        t.command('customer.update', { customerId: c.id, changes: { firstName: 'Back' } }, { actor: ANA, v: 1 }),
        t.command('customer.merge', { survivorId: chain.customers[21]!.id, mergedId: c.id }, { actor: MARTA }),
      ];
      const sale = t.command('sale.complete', { ...t.salePayload([{ sku: stock.sku, qty: 1, unitPrice }], { customerId: c.id }), tenders: [{ kind: 'loyalty', amount: 1 }, { kind: 'cash', amount: unitPrice - 1 }] }, { actor: CARLOS, v: 2 });
      const res = await t.pushOk([...later, sale]);
      expect(res.results.slice(0, 4)).toMatchObject([0, 1, 2, 3].map(() => ({ status: 'rejected', error: { code: 'customer-erased', message: expect.stringMatching(/^Customer .+ was erased at their request, so .+; the profile and its data are no longer kept\.$/) } })));
      expect(res.results[4]).toMatchObject({ status: 'applied' });
      const row = (await db.store.getRow('sales', (sale.payload as { saleId: string }).saleId)) as SaleRow;
      expect(row.customerId).toBeUndefined();
      expect(await db.store.getRow('customers', c.id)).toBeUndefined();
      expect(await db.store.getRow('history', c.id)).toBeUndefined();
      const overdraft = (await db.store.getRow('exceptions', `${sale.id}:loyalty-overdraft`)) as ExceptionRow;
      expect(overdraft.message).toMatch(/erased at their request/);
    });

    it('[CL6] the admin API erases once, answers a repeat, refuses an unknown id and anyone without the admin credential', async () => {
      const c = chain.customers[22]!;
      expect((await app.inject({ method: 'POST', url: `/api/v1/admin/customers/${c.id}/erase` })).statusCode).toBe(401);
      const first = await app.inject({ method: 'POST', url: `/api/v1/admin/customers/${c.id}/erase`, headers: ADMIN });
      expect(first.json()).toMatchObject({ customerId: c.id, erased: [c.id] });
      const again = await app.inject({ method: 'POST', url: `/api/v1/admin/customers/${c.id}/erase`, headers: ADMIN });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ customerId: c.id, commandId: first.json<{ commandId: string }>().commandId });
      const unknown = await app.inject({ method: 'POST', url: '/api/v1/admin/customers/C-NOBODY/erase', headers: ADMIN });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: { code: 'unknown-customer' } });
      expect((await db.store.getRow('customers', c.id)) as CustomerRow | undefined).toBeUndefined();
    });
  });
}
