// Loads a generated chain into an empty store: rows with stream versions, the opening stock ledger
// (one receipt per stock row, so on hand = Σ movements from day one), loyalty opening balances,
// hashed associate PINs, the demo enrollment code and the web channel's API key.
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import type { Store } from '../store/store';
import type { AssociatePinsTable } from '../store/schema';
import type { GeneratedChain } from './generate';
import { keyOf, streamOf, type TableName, type Tables, type AssociateRow } from '../../../src/core/model';
import type { Put } from '../../../src/core/sync/command';
import { hashPin, PIN_ITERATIONS, saltHex } from '../../../src/core/shared/pin';
import { buildHistories } from '../../../src/core/customers/history';
import type { AssociateId, LocationId } from '../../../src/core/shared/brand';
import { expiresAt, validUntil } from '../../../src/core/loyalty/expiry';

export const DEMO_ENROLLMENT_CODE = 'DEMO-S01';
export const DEMO_WEB_API_KEY = 'demo-web-key';

export const apiKeyHash = (key: string) => createHash('sha256').update(key).digest('hex');

function puts<T extends TableName>(table: T, rows: readonly Tables[T][]): Put[] {
  return rows.map((row) => ({ table, key: keyOf[table](row), stream: streamOf(table, row), row }) as Put);
}

/** Associates' rows (no PIN material: it never enters a stream [T2]) and their server-only verifiers. */
export async function hashAssociates(chain: GeneratedChain, iterations = PIN_ITERATIONS): Promise<{ rows: AssociateRow[]; pins: AssociatePinsTable[] }> {
  const out = await Promise.all(
    chain.associates.map(async (a) => {
      const salt = saltHex(randomBytes(16));
      const row: AssociateRow = { id: a.id as AssociateId, storeId: a.storeId as LocationId, name: a.name, role: a.role, active: true };
      const pin: AssociatePinsTable = { associate_id: a.id, salt, iterations, hash: await hashPin(webcrypto.subtle as unknown as SubtleCrypto, a.pin, salt, iterations), fails: 0, locked_until: null };
      return { row, pin };
    }),
  );
  return { rows: out.map((o) => o.row), pins: out.map((o) => o.pin) };
}

export async function loadChain(store: Store, chain: GeneratedChain, now: number, opts: { demo?: boolean; pinIterations?: number } = {}): Promise<void> {
  const { rows: associates, pins } = await hashAssociates(chain, opts.pinIterations);
  const at = new Date(now).toISOString();
  await store.transaction(async (tx) => {
    await tx.insertRows([
      // Associates first: their rows lead the store stream, so sign-in works early in a bootstrap.
      ...puts('associates', associates),
      ...puts('locations', chain.locations),
      // Product documents carry their variants: one row per style on the catalog stream [P1].
      ...puts('products', chain.products),
      ...puts('stock', chain.stock),
      // [LO2] Opening points count as earned today: the row says when they expire.
      ...puts('customers', chain.customers.map((c) => (c.points > 0 ? { ...c, pointsExpiring: { points: c.points, on: validUntil(now) } } : c))),
      ...puts('sales', chain.sales),
      ...puts('orders', chain.orders),
      // [CL1] Each customer's purchases across stores and the web, on the customers stream.
      ...puts('history', buildHistories(chain.sales, chain.orders)),
    ]);
    for (let i = 0; i < pins.length; i += 200) await tx.db.insertInto('associate_pins').values(pins.slice(i, i + 200)).execute();
    await tx.insertMovements(
      chain.stock.map((s) => ({ id: `seed:${s.key}`, locationId: s.locationId, sku: s.sku, qty: s.onHand, kind: 'receipt' as const, commandId: 'seed' })),
    );
    await tx.insertLedger(
      // [LO2] Opening balances as entries: points and store credit are the sums of their ledgers.
      chain.customers.flatMap((c) => [
        ...(c.points !== 0 ? [{ id: `seed:points:${c.id}`, account: `points:${c.id}`, amount: c.points, commandId: 'seed', at: now }] : []),
        ...(c.storeCredit !== 0 ? [{ id: `seed:credit:${c.id}`, account: `credit:${c.id}`, amount: c.storeCredit as number, commandId: 'seed', at: now }] : []),
      ]),
    );
    // [LO2][J2] The job that expires each customer's opening points, at the end of their last valid day.
    const on = validUntil(now);
    tx.addJobs(
      chain.customers.filter((c) => c.points > 0).map((c) => ({ kind: 'loyalty.expire', key: `${c.id}:${on}`, runAt: expiresAt(on), payload: { customerId: c.id, day: on } })),
      'seed',
      now,
    );
    // Availability for every SKU is published by the roll-up: mark them all.
    const skus = chain.variants.map((v) => v.sku);
    for (let i = 0; i < skus.length; i += 500) {
      await tx.db.insertInto('dirty_skus').values(skus.slice(i, i + 500).map((sku) => ({ sku, gen: 1 }))).execute();
    }
    if (opts.demo) {
      await tx.db.insertInto('enrollment_codes').values({ code: DEMO_ENROLLMENT_CODE, store_id: 'S01', reusable: 1, used_by: null, created_at: at, expires_at: null }).execute();
      await tx.db.insertInto('api_keys').values({ key_hash: apiKeyHash(DEMO_WEB_API_KEY), channel: 'web', created_at: at }).execute();
    }
    await tx.db.insertInto('meta').values({ key: 'seeded', value: at }).execute();
  });
}
