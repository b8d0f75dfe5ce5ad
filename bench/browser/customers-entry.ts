// The in-page half of the customer search bench [CL2] (bundled by bench/customers-browser.ts): 50,000
// customers in IndexedDB, the index built from them, and searches timed against a Dexie filter() scan.
import { VitrineDb } from '@/db/schema';
import { CustomerIndex } from '@/core/customers/customer-index';
import { syntheticCustomers } from '@/core/customers/synthetic-customers';
import { refreshCustomerIndex } from '@/db/hooks/customers-index';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export interface CustomerBenchResult {
  customers: number;
  loadMs: number;
  readMs: number;
  buildMs: number;
  coldMs: number;
  search: number[];
  scan: number[];
  empty: number;
  hitsByQuery: Record<string, number>;
}

async function run(n: number, baseQueries: string[], rounds: number): Promise<CustomerBenchResult> {
  const db = new VitrineDb('bench-customers');
  await db.delete();
  await db.open();
  const rows = syntheticCustomers(n).map((c, i) => ({ ...c, _v: i + 1 }));
  // E-mail prefixes and a whole e-mail of customers that exist, with and without the @.
  const queries = [...baseQueries, rows[1234]!.email.slice(0, 10), rows[20_000 % n]!.email, rows[777]!.email.split('@')[0]!];
  let t = performance.now();
  await db.customers.bulkPut(rows);
  await db.cursors.put({ stream: 'customers', version: n, syncedAt: Date.now() });
  const loadMs = performance.now() - t;

  t = performance.now();
  await db.customers.toArray();
  const readMs = performance.now() - t;
  // Cold: read every row from IndexedDB and build (what the first search on a tablet waits for).
  t = performance.now();
  const index = await refreshCustomerIndex(db);
  const coldMs = performance.now() - t;
  t = performance.now();
  CustomerIndex.fromRows(rows);
  const buildMs = performance.now() - t;

  const search: number[] = [];
  const scan: number[] = [];
  const hitsByQuery: Record<string, number> = {};
  let empty = 0;
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      t = performance.now();
      const hits = index.search(q, 20);
      search.push(performance.now() - t);
      hitsByQuery[q] = hits.length;
      if (r === 0 && hits.length === 0) empty += 1;
      // Baseline: the previous customers page, a filter() over the table (first name word, e-mail, phone digits).
      const f = fold(q.trim());
      const digits = f.replace(/\D/g, '');
      t = performance.now();
      await db.customers
        .filter((c) => fold(`${c.firstName} ${c.lastName}`).split(' ').some((w) => w.startsWith(f)) || fold(`${c.firstName} ${c.lastName}`).startsWith(f) || c.email.toLowerCase().startsWith(f) || (digits.length >= 3 && c.phone.replace(/\D/g, '').includes(digits)))
        .limit(20)
        .toArray();
      scan.push(performance.now() - t);
    }
  }
  db.close();
  return { customers: n, loadMs, readMs, buildMs, coldMs, search, scan, empty, hitsByQuery };
}

(globalThis as unknown as { customerBench: typeof run }).customerBench = run;
