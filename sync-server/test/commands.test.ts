// Manager and clienteling commands through the same push path, on SQLite and PostgreSQL:
// exception.resolve, note.add, and the outbox import of exported commands [D3].
import { describe, it, expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import { backends } from './helpers/stores';
import { seededApp } from './helpers/fixture';
import { TestTablet, errorOf, sellable, ANA, CARLOS, MARTA } from './helpers/client';
import type { ExceptionRow, NoteRow } from '../../src/core/model';
import type { PushResponse } from '../../src/core/sync/protocol';

for (const backend of backends) {
  describe.skipIf(backend.skip)(backend.name, () => {
    const fx = seededApp(backend);

    async function oversell(t: TestTablet) {
      const { stock, unitPrice } = sellable(fx.chain, 1)[0]!;
      const cmd = t.sale([{ sku: stock.sku, qty: stock.onHand + 1, unitPrice }], { actor: CARLOS });
      const res = await t.pushOk([cmd]);
      const ex = (res.results[0] as { exceptions: { id: string }[] }).exceptions[0]!;
      return ex.id;
    }

    it('[A4] only a manager resolves an exception; the resolution note and author are kept', async () => {
      const t = await TestTablet.enroll(fx.app, 'Resolver');
      const exceptionId = await oversell(t);
      const byCashier = t.command('exception.resolve', { exceptionId, storeId: 'S01', note: 'Counted the shelf' }, { actor: CARLOS });
      const byManager = t.command('exception.resolve', { exceptionId, storeId: 'S01', note: 'Counted the shelf: 0, adjusted' }, { actor: MARTA });
      const again = t.command('exception.resolve', { exceptionId, storeId: 'S01', note: 'Second try' }, { actor: MARTA });
      const res = await t.pushOk([byCashier, byManager, again]);
      expect(res.results.map((r) => r.status)).toEqual(['rejected', 'applied', 'applied']);
      expect(res.results[0]).toMatchObject({ error: { code: 'forbidden' } });
      expect(res.results[2]).toMatchObject({ summary: { alreadyResolved: true } });
      const row = await fx.db.store.getRow('exceptions', exceptionId);
      expect((row as ExceptionRow).resolved).toMatchObject({ by: MARTA, note: 'Counted the shelf: 0, adjusted' });
    });

    it('[C4] resolving an exception that does not exist is rejected with a clear reason', async () => {
      const t = await TestTablet.enroll(fx.app, 'Resolver 2');
      const res = await t.pushOk([t.command('exception.resolve', { exceptionId: 'nope', storeId: 'S01', note: 'done' }, { actor: MARTA })]);
      expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'unknown-exception' } });
    });

    it('notes from two tablets are both kept, signed by their authors (append-only)', async () => {
      const a = await TestTablet.enroll(fx.app, 'Notes A');
      const b = await TestTablet.enroll(fx.app, 'Notes B');
      const customerId = fx.chain.customers[0]!.id;
      const n1 = randomUUID();
      const n2 = randomUUID();
      await a.pushOk([a.command('note.add', { noteId: n1, customerId, text: 'Prefers slim fit' }, { actor: ANA })]);
      await b.pushOk([b.command('note.add', { noteId: n2, customerId, text: 'Size 38 in shoes' }, { actor: CARLOS })]);
      expect((await fx.db.store.getRow('notes', n1)) as NoteRow).toMatchObject({ text: 'Prefers slim fit', author: ANA, authorName: 'Ana' });
      expect((await fx.db.store.getRow('notes', n2)) as NoteRow).toMatchObject({ text: 'Size 38 in shoes', author: CARLOS, authorName: 'Carlos' });
    });

    it('[E1] an empty note is rejected at validation with a sentence', async () => {
      const t = await TestTablet.enroll(fx.app, 'Notes C');
      const res = await t.pushOk([t.command('note.add', { noteId: randomUUID(), customerId: fx.chain.customers[0]!.id, text: '  ' }, { actor: ANA })]);
      expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'invalid-payload' } });
      expect((res.results[0] as { error: { message: string } }).error.message).toContain('A note cannot be empty');
    });

    it('[D3] an exported outbox imports under the push rules: applied once, duplicates on a second import', async () => {
      const t = await TestTablet.enroll(fx.app, 'Exporter');
      const { stock, unitPrice } = sellable(fx.chain, 1)[1]!;
      const file = { deviceId: t.id, commands: [t.sale([{ sku: stock.sku, qty: 1, unitPrice }], { actor: CARLOS })] };
      const first = await fx.app.inject({ method: 'POST', url: '/api/v1/sync/import', headers: t.auth, payload: file });
      expect(first.statusCode).toBe(200);
      expect(first.json<PushResponse>().results[0]?.status).toBe('applied');
      const second = await fx.app.inject({ method: 'POST', url: '/api/v1/sync/import', headers: t.auth, payload: file });
      expect(second.json<PushResponse>().results[0]?.status).toBe('duplicate');
      const other = await TestTablet.enroll(fx.app, 'Someone else');
      const foreign = await fx.app.inject({ method: 'POST', url: '/api/v1/sync/import', headers: other.auth, payload: file });
      expect(foreign.statusCode).toBe(403);
      expect(errorOf(foreign).code).toBe('out-of-scope');
    });
  });
}
