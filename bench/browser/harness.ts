// Node side of the Chromium benchmarks: bundles bench/browser/entry.ts with Vite, serves it from a
// seeded sync server (STATIC_DIR) and drives headless Chromium with playwright-core.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { EnrollResponse } from '../../src/core/sync/protocol';
import { openFixture, type Fixture } from '../server-fixture';
import type { BenchApi } from './entry';

declare const bench: BenchApi;

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');

export interface BrowserEnv {
  fx: Fixture;
  base: string;
  page: Page;
  enrollment: EnrollResponse;
  skus: number;
  bootstrapped: boolean;
  close(): Promise<void>;
}

let shared: Promise<BrowserEnv> | undefined;

export const BENCH_SKUS = Number(process.env.BENCH_SKUS ?? 100_000);

async function bundle(outDir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    resolve: { alias: { '@': join(root, 'src') } },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir,
      emptyOutDir: true,
      minify: process.env.BENCH_MINIFY !== '0', // BENCH_MINIFY=0 keeps names for a CPU profile
      lib: { entry: join(here, 'entry.ts'), formats: ['es'], fileName: () => 'bench.js' },
    },
  });
  writeFileSync(join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bench.js"></script>\n');
}

async function open(): Promise<BrowserEnv> {
  const outDir = mkdtempSync(join(tmpdir(), 'vitrine-bench-web-'));
  const profile = mkdtempSync(join(tmpdir(), 'vitrine-bench-profile-'));
  const t0 = performance.now();
  await bundle(outDir);
  const bundleMs = performance.now() - t0;
  const fx = await openFixture({ backend: 'sqlite', skus: BENCH_SKUS, stores: 2, customers: 200, staticDir: outDir });
  const base = await fx.app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`(browser env: bundle ${(bundleMs / 1000).toFixed(1)} s; seeded ${fx.chain.variants.length} SKUs / ${fx.chain.products.length} products / ${fx.chain.stock.length} stock rows into SQLite in ${(fx.seedMs / 1000).toFixed(1)} s)`);
  // A persistent profile: IndexedDB on disk as on a tablet (an incognito context keeps it in memory).
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // --expose-gc: heap figures are read after a collection, not whenever V8 last ran one.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => 'bench' in globalThis);
  // [T1] The page enrolls with its own non-extractable key, so its requests are signed as a tablet's.
  const enrollment = await page.evaluate(() => bench.enroll());
  return {
    fx,
    base,
    page,
    enrollment,
    skus: BENCH_SKUS,
    bootstrapped: false,
    async close() {
      await context.close();
      await fx.close();
      rmSync(outDir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The one browser environment of this run (created on first use). */
export function browserEnv(): Promise<BrowserEnv> {
  shared ??= open();
  return shared;
}

export async function closeBrowserEnv(): Promise<void> {
  if (!shared) return;
  const env = await shared;
  shared = undefined;
  await env.close();
}
