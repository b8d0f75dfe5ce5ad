// Every origin of a command on both backends: devices, channels and the system run the same handlers
// and share one idempotency record [O1][O2]; ownership and scope of what a command writes [O3]; plan,
// lock, apply [J3]; clocks [D8].
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { backends, seedSmall, type Backend, type TestDb } from './helpers/stores';
import { TestTablet, sellable, MARTA } from './helpers/client';
import { createApp } from '../src/http/app';
import { tokenHash } from '../src/http/auth';
import { pushCommands } from '../src/apply/push';
import { applyChannelCommand, applySystemCommand } from '../src/apply/origins';
import { deterministicId, type Registry } from '../src/apply/run';
import { StoreTx, UnlockedStreamFault, type DeviceRecord, type Store } from '../src/store/store';
import type { GeneratedChain } from '../src/seed/generate';
import { COMMANDS } from '../../src/core/sync/registry';
import { customerUpdate } from '../../src/core/customers/customer-update';
import { EffectsBuilder, type CommandDef, type Principal } from '../../src/core/sync/command';
import { stockKey, CHAIN_WIDE, type ExceptionRow, type SaleRow, type StockRow, type NoteRow, type CustomerRow } from '../../src/core/model';
import type { LocationId } from '../../src/core/shared/brand';
import type { Envelope } from '../../src/core/sync/protocol';

/** A command for the tests only: writes an exception row in `store:<target>`, declaring `declared`. */
function probeDef(type: string, declared: (p: { target: string }) => string[], plan?: CommandDef<{ target: string; via?: string }>['plan']): CommandDef<{ target: string; via?: string }> {
  return {
    type,
    version: 1,
    schemas: { 1: { safeParse: (p: unknown) => ({ success: true, data: p }) } as never },
    roles: ['associate', 'cashier', 'manager', 'channel', 'system'],
    storeOf: () => undefined,
    streams: (p) => declared(p) as never,
    ...(plan ? { plan } : {}),
    async handle(ctx, cmd) {
      const b = new EffectsBuilder(ctx.tx);
      let target = cmd.payload.target;
      if (cmd.payload.via) target = (await b.get('exceptions', cmd.payload.via))!.storeId;
      b.summary = { holds: (ctx.tx as StoreTx).holds(`store:${target}`) };
      b.put('exceptions', { id: `${cmd.id}:probe`, storeId: target as LocationId, kind: 'cash-over-short', message: 'probe', details: {}, raisedAt: cmd.at, commandId: cmd.id });
      return b.done();
    },
  };
}

function originsSuite(backend: Backend) {
  describe.skipIf(backend.skip)(backend.name, () => {
    let db: TestDb;
    let store: Store;
    let chain: GeneratedChain;
    let app: FastifyInstance;
    const clock = { now: () => Date.UTC(2025, 5, 2, 9, 30, 0) };

    beforeAll(async () => {
      db = await backend.open();
      store = db.store;
      chain = await seedSmall(store);
      app = await createApp({ store, rollupIntervalMs: 0, clock });
    });
    afterAll(async () => {
      await app?.close();
      await db?.destroy();
    });

    const deviceOf = async (t: TestTablet): Promise<DeviceRecord> => (await store.findDeviceByTokenHash(tokenHash(t.enrollment.deviceToken)))!;
    const commandRow = (deviceId: string, seq: number) => store.db.selectFrom('commands').selectAll().where('device_id', '=', deviceId).where('seq', '=', seq).executeTakeFirst();
    const customerId = (i: number) => chain.customers[i]!.id;
    const s02Tablet = async (name: string) => {
      const code = `ONCE-S02-${randomUUID().slice(0, 8).toUpperCase()}`;
      await store.db.insertInto('enrollment_codes').values({ code, store_id: 'S02', reusable: 0, used_by: null, created_at: new Date().toISOString() }).execute();
      const t = await TestTablet.enroll(app, name, code);
      const cashier = chain.associates.find((a) => a.storeId === 'S02' && a.role === 'cashier')!;
      return { t, cashier: cashier.id };
    };

    describe('origins and principals [O1][O2]', () => {
      it('[O1][O2] a device, a channel and the system run the same customer.update handler, each with its principal, recorded in one table', async () => {
        const spy = vi.spyOn(customerUpdate, 'handle');
        try {
          const t = await TestTablet.enroll(app, 'Origins');
          const c = customerId(0);
          await t.pushOk([t.command('customer.update', { customerId: c, changes: { firstName: 'Device' } })]);
          const web = await applyChannelCommand(store, 'web', 'profile-1', { type: 'customer.update', payload: { customerId: c, changes: { lastName: 'Channel' } } }, clock);
          const sys = await applySystemCommand(store, 'merge:1', { type: 'customer.update', payload: { customerId: c, changes: { tier: 'gold' } } }, clock);
          expect(web.status).toBe('applied');
          expect(sys.status).toBe('applied');
          const principals = spy.mock.calls.map(([ctx]) => ctx.principal as Principal);
          expect(principals.map((p) => p.kind)).toEqual(['associate', 'channel', 'system']);
          expect(principals[1]).toEqual({ kind: 'channel', channel: 'web' });
          const row = (await store.getRow('customers', c)) as CustomerRow;
          expect([row.firstName, row.lastName, row.tier]).toEqual(['Device', 'Channel', 'gold']);
          const recorded = await store.db.selectFrom('commands').select(['device_id', 'origin', 'id', 'status']).where('type', '=', 'customer.update').where('id', 'in', [web.commandId, sys.commandId]).orderBy('origin').execute();
          expect(recorded).toEqual([
            { device_id: 'channel:web:profile-1', origin: 'channel', id: web.commandId, status: 'applied' },
            { device_id: 'system:merge:1', origin: 'system', id: sys.commandId, status: 'applied' },
          ]);
          expect((await commandRow(t.id, 1))?.origin).toBe('device');
        } finally {
          spy.mockRestore();
        }
      });

      it('[O1] a channel retry with the same key and content gets the stored result; other content is 409 idempotency-conflict and changes nothing', async () => {
        const c = customerId(1);
        const cmd = { type: 'customer.update', payload: { customerId: c, changes: { phone: '+351 911 000 111' } } };
        const first = await applyChannelCommand(store, 'web', 'ext-42', cmd, clock);
        const again = await applyChannelCommand(store, 'web', 'ext-42', cmd, clock);
        expect(again).toEqual({ status: 'duplicate', commandId: first.commandId, result: first.result });
        await expect(applyChannelCommand(store, 'web', 'ext-42', { ...cmd, payload: { customerId: c, changes: { phone: '+351 911 999 999' } } }, clock)).rejects.toMatchObject({ status: 409, code: 'idempotency-conflict' });
        expect(((await store.getRow('customers', c)) as CustomerRow).phone).toBe('+351 911 000 111');
        // The same key from another channel is another request.
        expect((await applyChannelCommand(store, 'kiosk', 'ext-42', cmd, clock)).status).toBe('applied');
      });

      it('[O1] a system command has a deterministic id; applying it again answers the stored result', async () => {
        const cmd = { type: 'customer.update', payload: { customerId: customerId(2), changes: { tier: 'silver' } } };
        const a = await applySystemCommand(store, 'tier-review:2', cmd, clock);
        const b = await applySystemCommand(store, 'tier-review:2', cmd, clock);
        expect(a.commandId).toBe(deterministicId('system:tier-review:2'));
        expect(a.commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(b).toEqual({ status: 'duplicate', commandId: a.commandId, result: a.result });
        expect(await store.db.selectFrom('commands').select('id').where('device_id', '=', 'system:tier-review:2').execute()).toHaveLength(1);
      });

      it('[O1] a channel payload that does not validate is 400 and is not recorded, so the same key can be used once fixed', async () => {
        await expect(applyChannelCommand(store, 'web', 'ext-bad', { type: 'customer.update', payload: { customerId: customerId(3), changes: {} } }, clock)).rejects.toMatchObject({ status: 400, code: 'invalid-payload' });
        expect((await applyChannelCommand(store, 'web', 'ext-bad', { type: 'customer.update', payload: { customerId: customerId(3), changes: { tier: 'gold' } } }, clock)).status).toBe('applied');
      });

      it('[O2] a command without a store that is rejected raises in the chain queue, which every tablet pulls and a manager resolves', async () => {
        const r = await applyChannelCommand(store, 'web', 'note-1', { type: 'note.add', payload: { noteId: randomUUID(), customerId: customerId(4), text: 'From the web' } }, clock);
        expect(r.result).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
        const t = await TestTablet.enroll(app, 'Chain reader');
        const changes = await t.pullAll('chain');
        const raised = changes.flatMap((c) => ('row' in c ? [c.row as ExceptionRow] : []));
        expect(raised).toHaveLength(1);
        expect(raised[0]).toMatchObject({ id: 'rejected:channel:web:note-1', storeId: CHAIN_WIDE, kind: 'rejected-command', commandId: r.commandId });
        const done = await t.pushOk([t.command('exception.resolve', { exceptionId: raised[0]!.id, storeId: CHAIN_WIDE, note: 'Asked the web team' }, { actor: MARTA })]);
        expect(done.results[0]).toMatchObject({ status: 'applied' });
        expect(((await store.getRow('exceptions', raised[0]!.id)) as ExceptionRow).resolved).toMatchObject({ by: MARTA });
      });
    });

    describe('ownership and scope [O3]', () => {
      it('[O3] a reused saleId from another tablet is rejected id-taken; the first sale is unchanged', async () => {
        const a = await TestTablet.enroll(app, 'Owner A');
        const b = await TestTablet.enroll(app, 'Owner B');
        const [x, y] = sellable(chain, 2).slice(-2);
        const first = a.sale([{ sku: x!.stock.sku, qty: 1, unitPrice: x!.unitPrice }]);
        await a.pushOk([first]);
        const saleId = (first.payload as { saleId: string }).saleId;
        const before = await store.getRow('sales', saleId);
        const stockBefore = ((await store.getRow('stock', stockKey('S01', y!.stock.sku))) as StockRow).onHand;
        const thief = b.sale([{ sku: y!.stock.sku, qty: 1, unitPrice: y!.unitPrice }]);
        (thief.payload as { saleId: string }).saleId = saleId;
        const res = await b.pushOk([thief]);
        expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'id-taken' } });
        expect(await store.getRow('sales', saleId)).toEqual(before);
        expect(((await store.getRow('stock', stockKey('S01', y!.stock.sku))) as StockRow).onHand).toBe(stockBefore);
      });

      it('[O3][M2] a reused saleId at another store neither moves the sale there nor out of its stream', async () => {
        const a = await TestTablet.enroll(app, 'S01 till');
        const { t: b, cashier } = await s02Tablet('S02 till');
        const x = sellable(chain, 1)[3]!;
        const z = sellable(chain, 1, 'S02')[0]!;
        const first = a.sale([{ sku: x.stock.sku, qty: 1, unitPrice: x.unitPrice }]);
        await a.pushOk([first]);
        const saleId = (first.payload as { saleId: string }).saleId;
        const v01 = await store.streamVersion('store:S01');
        const again = b.sale([{ sku: z.stock.sku, qty: 1, unitPrice: z.unitPrice }], { actor: cashier });
        (again.payload as { saleId: string }).saleId = saleId;
        expect((await b.pushOk([again])).results[0]).toMatchObject({ status: 'rejected', error: { code: 'id-taken' } });
        expect(((await store.getRow('sales', saleId)) as SaleRow).storeId).toBe('S01');
        expect(await store.streamVersion('store:S01')).toBe(v01);
        expect((await b.pullAll('store:S02')).some((c) => c.key === saleId)).toBe(false);
      });

      it('[O3] note.add with an existing noteId is rejected id-taken and the note keeps its text', async () => {
        const a = await TestTablet.enroll(app, 'Notes A');
        const { t: b, cashier } = await s02Tablet('Notes S02');
        const noteId = randomUUID();
        await a.pushOk([a.command('note.add', { noteId, customerId: customerId(5), text: 'Prefers slim fit' })]);
        const res = await b.pushOk([b.command('note.add', { noteId, customerId: customerId(5), text: 'Overwritten' }, { actor: cashier })]);
        expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'id-taken' } });
        expect(((await store.getRow('notes', noteId)) as NoteRow).text).toBe('Prefers slim fit');
      });

      it('[O3] a reused command id does not rewrite another device\'s rejection: each is keyed by its own device and seq', async () => {
        const a = await TestTablet.enroll(app, 'Reject A');
        const b = await TestTablet.enroll(app, 'Reject B');
        const bad = a.command('note.add', { noteId: randomUUID(), customerId: 'C-NOPE', text: 'x' });
        await a.pushOk([bad]);
        const copy: Envelope = { ...b.command('note.add', { noteId: randomUUID(), customerId: 'C-NOPE-2', text: 'y' }), id: bad.id };
        await b.pushOk([copy]);
        const mine = (await store.getRow('exceptions', `rejected:${a.id}:1`)) as ExceptionRow;
        const theirs = (await store.getRow('exceptions', `rejected:${b.id}:1`)) as ExceptionRow;
        expect(mine.details).toMatchObject({ deviceId: a.id, code: 'unknown-customer' });
        expect(theirs.details).toMatchObject({ deviceId: b.id, code: 'duplicate-command-id' });
      });

      it('[O3] a put into a stream the principal may not write is rejected out-of-scope, nothing written', async () => {
        const def = probeDef('test.probe', (p) => [`store:${p.target}`]);
        const registry: Registry = new Map([...COMMANDS, [def.type, def]]);
        const t = await TestTablet.enroll(app, 'Scope probe');
        const v02 = await store.streamVersion('store:S02');
        const env = t.command('test.probe', { target: 'S02' });
        const res = await pushCommands(store, await deviceOf(t), [env], clock, registry);
        expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'out-of-scope' } });
        expect(await store.streamVersion('store:S02')).toBe(v02);
        // The system may write there.
        expect((await applySystemCommand(store, 'probe-s02', { type: 'test.probe', payload: { target: 'S02' } }, clock, registry)).status).toBe('applied');
        expect(await store.streamVersion('store:S02')).toBe(v02 + 1);
      });
    });

    describe('rows in several streams through handlers [M1][M2]', () => {
      const memberDef: CommandDef<{ id: string; stores: string[]; del?: boolean }> = {
        type: 'test.member',
        version: 1,
        schemas: { 1: { safeParse: (p: unknown) => ({ success: true, data: p }) } as never },
        roles: ['system'],
        storeOf: () => undefined,
        // Re-sourcing writes where the row goes and where it leaves: both are declared [J3].
        streams: () => ['store:S03', 'store:S04'],
        async handle(ctx, cmd) {
          const b = new EffectsBuilder(ctx.tx);
          const [home, ...others] = cmd.payload.stores;
          if (cmd.payload.del) b.delete('exceptions', cmd.payload.id);
          else b.put('exceptions', { id: cmd.payload.id, storeId: home as LocationId, kind: 'cash-over-short', message: 'shared', details: {}, raisedAt: cmd.at }, { also: others.map((o) => `store:${o}` as const) });
          return b.done();
        },
      };
      const registry: Registry = new Map([[memberDef.type, memberDef]]);
      const run = (key: string, payload: { id: string; stores: string[]; del?: boolean }) => applySystemCommand(store, key, { type: 'test.member', payload }, clock, registry);

      it('[M1][M2] a handler puts a row in two stores\' streams, moves it to one (a tombstone in the other), then deletes it (a tombstone in each)', async () => {
        const id = `member-${randomUUID()}`;
        const versions = async () => [await store.streamVersion('store:S03'), await store.streamVersion('store:S04')];
        const [a3, a4] = await versions();
        await run(`${id}:1`, { id, stores: ['S03', 'S04'] });
        expect(await versions()).toEqual([a3! + 1, a4! + 1]);
        expect(await store.db.selectFrom('rows').select(['stream', 'deleted']).where('key', '=', id).orderBy('stream').execute()).toEqual([
          { stream: 'store:S03', deleted: 0 },
          { stream: 'store:S04', deleted: 0 },
        ]);
        await run(`${id}:2`, { id, stores: ['S04'] });
        expect(await store.db.selectFrom('rows').select(['stream', 'deleted']).where('key', '=', id).orderBy('stream').execute()).toEqual([
          { stream: 'store:S03', deleted: 1 },
          { stream: 'store:S04', deleted: 0 },
        ]);
        await run(`${id}:3`, { id, stores: ['S03', 'S04'], del: true });
        expect(await store.db.selectFrom('rows').select(['stream', 'deleted', 'version']).where('key', '=', id).orderBy('stream').execute()).toEqual([
          { stream: 'store:S03', deleted: 1, version: a3! + 2 },
          { stream: 'store:S04', deleted: 1, version: a4! + 3 },
        ]);
      });
    });

    describe('plan, lock, apply [J3]', () => {
      it('[J3] a write to a stream the command did not declare is a fault: the push fails and nothing is committed', async () => {
        // A tablet's command that writes a note (customers stream) but declares only its store stream.
        const noteDef: CommandDef<{ target: string }> = {
          ...probeDef('test.undeclared-note', (p) => [`store:${p.target}`]),
          async handle(ctx, cmd) {
            const b = new EffectsBuilder(ctx.tx);
            b.create('notes', { id: cmd.id, customerId: customerId(6), text: 'undeclared', author: cmd.actor as never, authorName: 'x', at: cmd.at });
            return b.done();
          },
        };
        const def = probeDef('test.undeclared', () => ['customers']);
        const registry: Registry = new Map([...COMMANDS, [def.type, def], [noteDef.type, noteDef]]);
        const t = await TestTablet.enroll(app, 'Undeclared');
        const d = await deviceOf(t);
        const vc = await store.streamVersion('customers');
        await expect(pushCommands(store, d, [t.command('test.undeclared-note', { target: 'S01' })], clock, registry)).rejects.toBeInstanceOf(UnlockedStreamFault);
        expect(await commandRow(t.id, 1)).toBeUndefined();
        expect(await store.streamVersion('customers')).toBe(vc);
        const v03 = await store.streamVersion('store:S03');
        await expect(applySystemCommand(store, 'undeclared-s03', { type: 'test.undeclared', payload: { target: 'S03' } }, clock, registry)).rejects.toBeInstanceOf(UnlockedStreamFault);
        expect(await store.streamVersion('store:S03')).toBe(v03);
      });

      it('[J3] a command that finds its stream by reading plans it; the stream is locked before the handler re-reads', async () => {
        // Where to write is read from an exception row: the plan reads it, the handler reads it again.
        const seed = await applySystemCommand(store, 'seed-s04', { type: 'test.planned', payload: { target: 'S04' } }, clock, new Map([['test.planned', probeDef('test.planned', (p) => [`store:${p.target}`])]]));
        const pointer = `${seed.commandId}:probe`;
        const plan: CommandDef<{ target: string; via?: string }>['plan'] = async (ctx, cmd) => [`store:${(await ctx.tx.get('exceptions', cmd.payload.via!))!.storeId}`];
        const planned = probeDef('test.sourced', () => [], plan);
        const unplanned = probeDef('test.unplanned', () => []);
        const registry: Registry = new Map([[planned.type, planned], [unplanned.type, unplanned]]);
        const ok = await applySystemCommand(store, 'sourced-1', { type: 'test.sourced', payload: { target: '', via: pointer } }, clock, registry);
        expect(ok.result).toMatchObject({ status: 'applied', summary: { holds: true } });
        await expect(applySystemCommand(store, 'unplanned-1', { type: 'test.unplanned', payload: { target: '', via: pointer } }, clock, registry)).rejects.toBeInstanceOf(UnlockedStreamFault);
      });
    });

    describe('plan, lock, apply in a push [J3]', () => {
      it('[J3] a push runs every plan, then takes all its locks in one call in name order, then applies: no lock during apply', async () => {
        // Finds the stream it writes by reading: the customer a note points at.
        const planned: CommandDef<{ noteId: string }> = {
          type: 'test.tier-from-note',
          version: 1,
          schemas: { 1: { safeParse: (p: unknown) => ({ success: true, data: p }) } as never },
          roles: ['associate', 'cashier', 'manager'],
          storeOf: () => undefined,
          streams: () => [],
          plan: async (ctx, cmd) => ((await ctx.tx.get('notes', cmd.payload.noteId)) ? ['customers'] : []),
          async handle(ctx, cmd) {
            const b = new EffectsBuilder(ctx.tx);
            const note = await b.get('notes', cmd.payload.noteId);
            const c = await b.get('customers', note!.customerId);
            b.put('customers', { ...c!, tier: 'gold' });
            return b.done();
          },
        };
        const registry: Registry = new Map([...COMMANDS, [planned.type, planned]]);
        const t = await TestTablet.enroll(app, 'Planner');
        const noteId = randomUUID();
        await t.pushOk([t.command('note.add', { noteId, customerId: customerId(9), text: 'VIP' })]);
        const calls: string[][] = [];
        const original = StoreTx.prototype.lockStreams;
        const spy = vi.spyOn(StoreTx.prototype, 'lockStreams').mockImplementation(async function (this: StoreTx, streams: readonly string[]) {
          calls.push([...streams]);
          return original.call(this, streams);
        });
        try {
          const res = await pushCommands(store, await deviceOf(t), [t.command('test.tier-from-note', { noteId })], clock, registry);
          expect(res.results[0]).toMatchObject({ status: 'applied' });
        } finally {
          spy.mockRestore();
        }
        expect(calls).toHaveLength(1);
        expect([...new Set(calls[0])].sort()).toEqual(['customers', 'store:S01']);
        expect(((await store.getRow('customers', customerId(9))) as CustomerRow).tier).toBe('gold');
      });
    });

    describe('clocks [D8]', () => {
      it('[D8] an `at` far ahead of server time is clamped: a later edit by a tablet with a right clock wins', async () => {
        const fast = await TestTablet.enroll(app, 'Fast clock');
        const right = await TestTablet.enroll(app, 'Right clock');
        const c = customerId(7);
        const now = clock.now();
        await fast.pushOk([fast.command('customer.update', { customerId: c, changes: { email: 'future@example.com' } }, { at: { wall: now + 60 * 60_000 } })]);
        clock.now = () => now + 1000;
        try {
          await right.pushOk([right.command('customer.update', { customerId: c, changes: { email: 'later@example.com' } }, { at: { wall: now + 1000 } })]);
        } finally {
          clock.now = () => Date.UTC(2025, 5, 2, 9, 30, 0);
        }
        expect(((await store.getRow('customers', c)) as CustomerRow).email).toBe('later@example.com');
      });

      it('[D8] skewed commands raise one clock-skew alarm per device, counted, not repeated', async () => {
        const fast = await TestTablet.enroll(app, 'Skewed');
        const ahead = clock.now() + 10 * 60_000;
        await fast.pushOk([fast.command('customer.update', { customerId: customerId(8), changes: { tier: 'gold' } }, { at: { wall: ahead } })]);
        await fast.pushOk([
          fast.command('customer.update', { customerId: customerId(8), changes: { tier: 'silver' } }, { at: { wall: ahead + 1 } }),
          fast.command('customer.update', { customerId: customerId(8), changes: { tier: 'platinum' } }, { at: { wall: ahead + 2 } }),
        ]);
        const alarms = (await store.db.selectFrom('rows').select('data').where('tbl', '=', 'exceptions').where('key', 'like', `clock-skew:${fast.id}%`).where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data!) as ExceptionRow);
        expect(alarms).toHaveLength(1);
        expect(alarms[0]).toMatchObject({ kind: 'clock-skew', storeId: 'S01', details: { count: 3, deviceId: fast.id } });
        expect(alarms[0]!.message).toMatch(/^The clock of Skewed \(T\d+\) is 10 minutes ahead/);
        // A command less than 5 minutes ahead is not clamped and not counted.
        await fast.pushOk([fast.command('customer.update', { customerId: customerId(8), changes: { tier: '' } }, { at: { wall: clock.now() + 4 * 60_000 } })]);
        expect(((await store.getRow('exceptions', `clock-skew:${fast.id}`)) as ExceptionRow).details.count).toBe(3);
      });

      it('[D8] stock rows carry server time, not the tablet\'s clock', async () => {
        const t = await TestTablet.enroll(app, 'Stock clock');
        const x = sellable(chain, 1)[5]!;
        await t.pushOk([t.command('sale.complete', t.salePayload([{ sku: x.stock.sku, qty: 1, unitPrice: x.unitPrice }]), { at: { wall: clock.now() - 3 * 60 * 60_000 } })]);
        expect(((await store.getRow('stock', stockKey('S01', x.stock.sku))) as StockRow).at).toBe(clock.now());
      });
    });
  });
}

for (const backend of backends) originsSuite(backend);
