// customers-browser (Chromium) [CL2]: customer search at 50,000 customers local — p50/p95 per query
// against the Dexie filter() scan the customers page used before, plus the cold build from IndexedDB.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { fmtInt, fmtMs, p50, p95, printTable, ratio, verdict } from './lib';
import type { CustomerBenchResult } from './browser/customers-entry';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..');
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);

/** What associates type: names (prefix, no accents, typos, swaps), e-mail prefixes, phone prefixes. */
export const CUSTOMER_QUERIES = [
  'm', 'ma', 'mar', 'marcia', 'márcia oliveira', 'marcia olivera', 'oliv', 'olivera', 'oliveira m',
  'conceicao', 'conceiçao rocha', 'gonçalo magalhaes', 'magalhes', 'giulia rossi', 'giula', 'rossi g', 'de luca', "d'angelo", 'dangelo',
  'thiago souza', 'thaigo', 'leticia lima', 'beatriz costa', 'tomas', 'duarte rocha', 'duatre', 'francesco', 'fransesco', 'chiara bianchi', 'chiara bianci',
  '912', '+351 91', '+39 3', '11 9', '00351 912',
];

export async function benchCustomersBrowser(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'vitrine-bench-customers-'));
  const profile = mkdtempSync(join(tmpdir(), 'vitrine-bench-customers-profile-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    resolve: { alias: { '@': join(root, 'src') } },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { outDir, emptyOutDir: true, minify: true, lib: { entry: join(here, 'browser/customers-entry.ts'), formats: ['es'], fileName: () => 'bench.js' } },
  });
  writeFileSync(join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bench.js"></script>\n');
  const server = createServer((req, res) => {
    const file = req.url === '/bench.js' ? 'bench.js' : 'index.html';
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(readFileSync(join(outDir, file)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'customerBench' in globalThis);
    const r = await page.evaluate(
      ({ n, q }) => (globalThis as unknown as { customerBench: (n: number, q: string[], rounds: number) => Promise<CustomerBenchResult> }).customerBench(n, q, 5),
      { n: CUSTOMERS, q: CUSTOMER_QUERIES },
    );
    printTable(
      `customer search in the browser — ${fmtInt(r.customers)} customers local (headless Chromium)`,
      `params: ${fmtInt(r.customers)} synthetic customers (PT/IT/BR names with accents, e-mails, phones) in IndexedDB; ${CUSTOMER_QUERIES.length + 3} queries (3 e-mails of existing customers added in the page) × 5 rounds, 20 results`,
      [
        { measure: 'search p50', value: fmtMs(p50(r.search)), baseline: fmtMs(p50(r.scan)), ratio: ratio(p50(r.search), p50(r.scan)) },
        { measure: 'search p95', value: fmtMs(p95(r.search)), baseline: fmtMs(p95(r.scan)), ratio: ratio(p95(r.search), p95(r.scan)), target: `≤ 20 ms ${verdict(p95(r.search) <= 20)}` },
        { measure: 'search max', value: fmtMs(Math.max(...r.search)) },
        { measure: 'cold: read 50k rows from IndexedDB + build the index', value: fmtMs(r.coldMs) },
        { measure: 'read 50k rows from IndexedDB (toArray)', value: fmtMs(r.readMs) },
        { measure: 'build the index from rows in memory', value: fmtMs(r.buildMs) },
        { measure: 'write the rows to IndexedDB (setup)', value: fmtMs(r.loadMs) },
      ],
      [
        'baseline = the previous customers page: db.customers.filter(folded name word / e-mail prefix / phone digits).limit(20), a Dexie filter() scan (no typo tolerance).',
        `queries with no hit: ${r.empty}; hits per query: ${Object.entries(r.hitsByQuery).map(([q, n]) => `"${q}" ${n}`).join(', ')}.`,
      ],
    );
  } finally {
    await context.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
