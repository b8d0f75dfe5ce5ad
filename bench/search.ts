// search (Node): the catalog search index on the demo generator's catalog at 100,000 SKUs (issue 4's
// size), or on a synthetic stress catalog of BENCH_SEARCH_STYLES styles: typed queries vs a linear
// folded-`includes` scan, build, save/load, 1,000 upserts.
import { CatalogIndex } from '../src/core/catalog/search';
import { foldText, queryWords } from '../src/core/catalog/search/normalize';
import { syntheticCatalog } from '../src/core/catalog/search/synthetic-catalog';
import { generateChain, DEFAULT_SEED } from '../sync-server/src/seed/generate';
import type { ProductRow, VariantRow } from '../src/core/model';
import { fmtInt, fmtMs, p50, p95, printTable, ratio, verdict } from './lib';

const SKUS = Number(process.env.BENCH_SKUS ?? 100_000);
/** Set to stress the index with this many synthetic styles (≈ 8 variants each) instead. */
const STYLES = process.env.BENCH_SEARCH_STYLES ? Number(process.env.BENCH_SEARCH_STYLES) : undefined;
const ROUNDS = 3;
/** No target was set for search; the old unit test guarded the p95 of each query's best of 3 at 200 ms. */
const GUARD_BEST_P95 = 200;

/** Typed queries of 1–3 words: accents, typos ("vestdo", "sneakres", "clasico"), prefixes as typed. */
export const QUERIES = [
  'calca', 'calça', 'CALÇA SLIM', 'camisa azul', 'tenis', 'tênis branco', 'giaca', 'giacca nero',
  'maglione', 'maglione lã', 'saia midi', 'sandalia rosa', 'vestdo', 'vestido longo', 'casaco la',
  'borsa pelle', 'blusao', 'clasico', 'classico', 'algodao', 'felpa oversize', 'sciarpa', 'bolsa couro preto',
  'cinto', 'pantaloni 42', 'sneakres', 'jeans denim', 'parka inverno', 'ravi', 'kuda', 'mocasim',
  'c', 'ca', 'cam', 'cami', 'camis', 'camisa', 'camisa a', 'camisa az', 'camisa azu',
  'v', 've', 'ves', 'vest', 'vesti', 'vestid', 'b', 'bo', 'bol', 'bols',
];

/** Baseline: what a Dexie `products.filter()` would do — fold every name and test each query word. */
function linearScan(products: readonly ProductRow[], query: string, limit: number): string[] {
  const words = queryWords(query);
  const out: string[] = [];
  for (const p of products) {
    const name = foldText(p.name);
    if (words.every((w) => name.includes(w))) out.push(p.id);
  }
  return out.slice(0, limit);
}

const time = (fn: () => void) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

export async function benchSearch(): Promise<void> {
  const { products, variants } = STYLES
    ? syntheticCatalog(STYLES)
    : generateChain({ ...DEFAULT_SEED, skus: SKUS, customers: 10, stores: 2, ordersAwaitingPickup: 0, now: Date.UTC(2026, 0, 1) });
  const PRODUCTS = products.length;
  const source = STYLES ? `syntheticCatalog(${fmtInt(STYLES)}, seed 20240611)` : `the demo generator at ${fmtInt(SKUS)} SKUs (seed ${DEFAULT_SEED.seed})`;
  const byProduct = new Map<string, VariantRow[]>();
  for (const v of variants) {
    const list = byProduct.get(v.productId) ?? [];
    list.push(v);
    byProduct.set(v.productId, list);
  }

  let index!: CatalogIndex;
  const buildMs = time(() => (index = CatalogIndex.fromRows(products, variants)));
  let folded!: Map<string, string>;
  const buildBaseMs = time(() => (folded = new Map(products.map((p) => [p.id, foldText(p.name)]))));

  for (const q of QUERIES) index.search(q, { limit: 50 }); // warm-up: JIT and the one name sort after a bulk build
  for (const q of QUERIES.slice(0, 5)) linearScan(products, q, 50);
  const searchTimes: number[] = [];
  const best = new Map<string, number>();
  const scanTimes: number[] = [];
  let empty = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUERIES) {
      let hits = 0;
      const dt = time(() => (hits = index.search(q, { limit: 50 }).length));
      searchTimes.push(dt);
      best.set(q, Math.min(best.get(q) ?? Infinity, dt));
      if (r === 0 && hits === 0) empty += 1;
      scanTimes.push(time(() => linearScan(products, q, 50)));
    }
  }

  let json = '';
  const saveMs = time(() => (json = JSON.stringify(index)));
  let loaded: CatalogIndex | null = null;
  const loadMs = time(() => (loaded = CatalogIndex.fromJSON(json)));
  let rawJson = '';
  const rawSaveMs = time(() => (rawJson = JSON.stringify({ products, variants })));
  const rawLoadMs = time(() => JSON.parse(rawJson));
  const same = JSON.stringify(loaded!.search('camisa azul', { limit: 20 })) === JSON.stringify(index.search('camisa azul', { limit: 20 }));

  // 1,000 changed products: renamed and repriced, variants regenerated, as a pulled page would bring.
  const changed = Array.from({ length: 1000 }, (_, i) => products[(i * 97) % products.length]!).map((p) => ({
    product: { ...p, name: `${p.name} Nova` },
    variants: (byProduct.get(p.id) ?? []).map((v) => ({ ...v, prices: { ...v.prices, EUR: (v.prices.EUR ?? 0) + 100 } }) as VariantRow),
  }));
  const upsertMs = time(() => {
    for (const c of changed) index.upsert(c.product, c.variants);
  });
  const upsertBaseMs = time(() => {
    for (const c of changed) folded.set(c.product.id, foldText(c.product.name));
  });
  const found = index.search('nova', { limit: 2000 }).length;
  const afterUpsert: number[] = [];
  for (const q of QUERIES) afterUpsert.push(time(() => index.search(q, { limit: 50 })));

  printTable(
    `search — catalog index, ${fmtInt(PRODUCTS)} styles (Node ${process.version})`,
    `params: ${source} → ${fmtInt(PRODUCTS)} styles, ${fmtInt(variants.length)} variants; ${QUERIES.length} queries × ${ROUNDS} rounds, limit 50 (after one warm-up round)`,
    [
      { measure: 'text search p50', value: fmtMs(p50(searchTimes)), baseline: fmtMs(p50(scanTimes)), ratio: ratio(p50(searchTimes), p50(scanTimes)) },
      { measure: 'text search p95', value: fmtMs(p95(searchTimes)), baseline: fmtMs(p95(scanTimes)), ratio: ratio(p95(searchTimes), p95(scanTimes)), target: `≤ 15 ms ${verdict(p95(searchTimes) <= 15)}` },
      { measure: "text search p95 of each query's best of 3", value: fmtMs(p95([...best.values()])), target: `< ${GUARD_BEST_P95} ms (old unit-test guard) ${verdict(p95([...best.values()]) < GUARD_BEST_P95)}` },
      { measure: 'text search max', value: fmtMs(Math.max(...searchTimes)), baseline: fmtMs(Math.max(...scanTimes)) },
      { measure: 'text search p95 after 1,000 upserts', value: fmtMs(p95(afterUpsert)), baseline: fmtMs(p95(scanTimes)), ratio: ratio(p95(afterUpsert), p95(scanTimes)) },
      { measure: 'index build (fromRows)', value: fmtMs(buildMs), baseline: fmtMs(buildBaseMs), ratio: ratio(buildMs, buildBaseMs) },
      { measure: `save (JSON.stringify, ${(json.length / 1e6).toFixed(1)} MB)`, value: fmtMs(saveMs), baseline: fmtMs(rawSaveMs), ratio: ratio(saveMs, rawSaveMs) },
      { measure: 'load (CatalogIndex.fromJSON)', value: fmtMs(loadMs), baseline: fmtMs(rawLoadMs), ratio: ratio(loadMs, rawLoadMs) },
      { measure: 'upsert 1,000 changed products (total)', value: fmtMs(upsertMs), baseline: fmtMs(upsertBaseMs), ratio: ratio(upsertMs, upsertBaseMs) },
    ],
    [
      'text search baseline = a Dexie-filter()-like full scan: foldText(name) of every product, then `includes` of every folded query word (no typo tolerance, no ranking).',
      'build baseline = folding every name into a Map (the scan\'s precomputation); save/load baseline = JSON.stringify/parse of the raw product + variant rows ' + `(${(rawJson.length / 1e6).toFixed(1)} MB); upsert baseline = re-folding the 1,000 names into that Map.`,
      `queries with no hit: ${empty}/${QUERIES.length}; index reloaded from JSON answers identically: ${same ? 'yes' : 'NO'}; "nova" finds ${found}/1000 upserted products.`,
      'barcode lookup is measured in Chromium against IndexedDB in the dispatch table (variants.where("barcode") vs get(sku)); the index does not hold barcodes.',
    ],
  );
}
