// Scale check: 100,000 synthetic styles, built and queried as the tablet would; prints the timings.
import { describe, it, expect } from 'vitest';
import { CatalogIndex } from './catalog-index';
import { syntheticCatalog } from './synthetic-catalog';

const PRODUCTS = 100_000;

const QUERIES = [
  'calca', 'calça', 'CALÇA SLIM', 'camisa azul', 'tenis', 'tênis branco', 'giaca', 'giacca nero',
  'maglione', 'maglione lã', 'saia midi', 'sandalia rosa', 'vestdo', 'vestido longo', 'casaco la',
  'borsa pelle', 'blusao', 'clasico', 'classico', 'algodao', 'felpa oversize', 'sciarpa', 'bolsa couro preto',
  'cinto', 'pantaloni 42', 'sneakres', 'jeans denim', 'parka inverno', 'ravi', 'kuda', 'mocasim',
  'c', 'ca', 'cam', 'cami', 'camis', 'camisa', 'camisa a', 'camisa az', 'camisa azu',
  'v', 've', 'ves', 'vest', 'vesti', 'vestid', 'b', 'bo', 'bol', 'bols',
];

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

describe('CatalogIndex at 100,000 styles', () => {
  it('builds, answers typed queries quickly and reloads from JSON', { timeout: 180_000 }, () => {
    const { products, variants } = syntheticCatalog(PRODUCTS);

    let t = performance.now();
    const index = CatalogIndex.fromRows(products, variants);
    const buildMs = performance.now() - t;
    expect(index.size).toBe(PRODUCTS);

    for (const q of QUERIES) index.search(q); // warm-up: JIT, and the one sort of the names after the bulk build
    const times: number[] = [];
    const worst = new Map<string, number>();
    const best = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (const q of QUERIES) {
        t = performance.now();
        const hits = index.search(q, { limit: 50 });
        const dt = performance.now() - t;
        times.push(dt);
        worst.set(q, Math.max(worst.get(q) ?? 0, dt));
        best.set(q, Math.min(best.get(q) ?? Infinity, dt));
        expect(hits.length).toBeGreaterThan(0);
      }
    }
    times.sort((a, b) => a - b);
    const slowest = [...worst].sort((a, b) => b[1] - a[1]).slice(0, 5);
    // For the guard, each query's best of three: a pathological query is slow every time, while a
    // garbage collection or a busy CI neighbour only spoils one run.
    const bestP95 = percentile([...best.values()].sort((a, b) => a - b), 0.95);
    const p50 = percentile(times, 0.5);
    const p95 = percentile(times, 0.95);

    t = performance.now();
    const filtered = index.search('camisa', { size: 'M', color: 'Azul', currency: 'EUR', priceMax: 10000, category: ['Mulher'] });
    const filteredMs = performance.now() - t;
    t = performance.now();
    index.search('', { category: ['Donna', 'Sport'] });
    const browseMs = performance.now() - t;
    t = performance.now();
    index.search('');
    const browseAllMs = performance.now() - t;
    t = performance.now();
    index.similar('P000123', 12);
    const similarMs = performance.now() - t;

    t = performance.now();
    const json = JSON.stringify(index);
    const saveMs = performance.now() - t;
    t = performance.now();
    const loaded = CatalogIndex.fromJSON(json);
    const loadMs = performance.now() - t;
    expect(loaded?.search('camisa azul', { limit: 20 })).toEqual(index.search('camisa azul', { limit: 20 }));

    const someVariants = variants.slice(0, 3);
    t = performance.now();
    for (let i = 0; i < 1000; i++) {
      const p = products[i * 97];
      if (p) index.upsert({ ...p, name: `${p.name} Nova` }, someVariants.map((v) => ({ ...v, productId: p.id })));
    }
    const upsertMs = (performance.now() - t) / 1000;
    expect(index.search('nova', { limit: 2000 })).toHaveLength(1000);

    console.log(
      [
        `catalog search, ${PRODUCTS} styles / ${variants.length} variants:`,
        `  build ${ms(buildMs)}; ${QUERIES.length} queries × 3: p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(times[times.length - 1] ?? NaN)}; p95 of best-of-3 ${ms(bestP95)}`,
        `  filtered search ${ms(filteredMs)} (${filtered.length} rows); browse one category ${ms(browseMs)}; browse all ${ms(browseAllMs)}; similar ${ms(similarMs)}`,
        `  JSON ${(json.length / 1e6).toFixed(1)} MB: save ${ms(saveMs)}, load ${ms(loadMs)}; upsert ${ms(upsertMs)} each`,
        `  slowest (worst of 3): ${slowest.map(([q, dt]) => `"${q}" ${ms(dt)}`).join(', ')}`,
      ].join('\n'),
    );
    // Only a guard against pathologies: timings vary by machine.
    expect(bestP95).toBeLessThan(200);
  });
});
