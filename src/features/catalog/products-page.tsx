// Endless aisle: search and filter the whole catalog offline, or scan/type a barcode to open its product.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useT, useLocale } from '@/i18n';
import type { SearchHit } from '@/core/catalog/search/catalog-index';
import { catalogFacets } from '@/core/catalog/search/facets';
import { formatMoney } from '@/core/shared/money';
import type { Currency } from '@/core/shared/brand';
import { findByBarcode, readProductStock } from '@/db/catalog';
import { getDevice } from '@/db/device';
import { useCatalogIndex } from './catalog-index';
import { NO_FILTERS, hasFilters, readStockSets, toSearchOptions, type Filters } from './search-filters';
import { VirtualList } from './virtual-list';
import { CameraScanDialog } from './camera-scan';
import { useSearchState } from './search-state';

/** Typing pauses this long before a search runs: each keystroke need not search 100k styles. */
const DEBOUNCE_MS = 80;
/** Most rows a search returns: thousands, scrolled through the windowed list. */
const RESULT_LIMIT = 5000;
const ROW_HEIGHT = 76;

const looksLikeCode = (q: string) => /^\d{8,14}$/.test(q) || /^VT-/i.test(q);

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function ProductsPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const navigate = useNavigate();
  const { q, setQ, filters, setFilters } = useSearchState();
  const [message, setMessage] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const query = useDebounced(q, DEBOUNCE_MS);
  const { index, revision } = useCatalogIndex(db);

  const here = useLiveQuery(async () => {
    const d = await getDevice(db);
    const store = d ? await db.locations.get(d.storeId) : undefined;
    return { storeId: d?.storeId ?? '', currency: (store?.currency ?? 'EUR') as Currency };
  }, [db]);
  const storeId = here?.storeId ?? '';
  const currency = here?.currency ?? 'EUR';

  // Read once per change of the stock tables, only while a stock filter is on.
  const wantHere = filters.inStockHere;
  const wantNearby = filters.inStockNearby;
  const sets = useLiveQuery(() => readStockSets(db, storeId, { here: wantHere, nearby: wantNearby }), [db, storeId, wantHere, wantNearby]);

  // Facets change with the catalog, i.e. with the index revision.
  const facets = useMemo(() => (index && revision > 0 ? catalogFacets(index.docs()) : null), [index, revision]);
  const subcategories = facets?.categories.find((c) => c.name === filters.category)?.children ?? [];

  const filtered = hasFilters(filters);
  const stockPending = (wantHere || wantNearby) && sets === undefined;
  const hits = useMemo<SearchHit[] | null>(() => {
    if (!index || stockPending || revision < 0) return null;
    if (!query.trim() && !filtered) return [];
    return index.search(query, toSearchOptions(filters, currency, sets ?? {}, RESULT_LIMIT));
  }, [index, revision, query, filters, filtered, currency, sets, stockPending]);

  const openCode = useCallback(
    async (code: string) => {
      const v = await findByBarcode(db, code);
      if (v) navigate(`/products/${encodeURIComponent(v.productId)}?sku=${encodeURIComponent(v.sku)}`);
      else setMessage(t('products.unknownBarcode', { code }));
    },
    [db, navigate, t],
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    const code = q.trim();
    if (looksLikeCode(code)) await openCode(code);
  }

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value, ...(key === 'category' ? { subcategory: '' } : {}) }));
  const onScanned = useCallback(
    (code: string) => {
      setScanning(false);
      setQ(code);
      void openCode(code);
    },
    [openCode, setQ],
  );

  return (
    <section className="products">
      <h1>{t('products.title')}</h1>
      <div className="inline">
        <form role="search" onSubmit={(e) => void submit(e)} className="grow">
          <input
            type="search"
            aria-label={t('products.search')}
            placeholder={t('products.hint')}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setMessage(null);
            }}
            autoFocus
          />
        </form>
        <button type="button" className="secondary" onClick={() => setScanning(true)}>
          {t('products.scan')}
        </button>
      </div>
      <fieldset className="filters">
        <legend>{t('products.filters')}</legend>
        <label>
          {t('products.category')}
          <select value={filters.category} onChange={(e) => set('category', e.target.value)}>
            <option value="">{t('products.any')}</option>
            {facets?.categories.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('products.subcategory')}
          <select value={filters.subcategory} disabled={subcategories.length === 0} onChange={(e) => set('subcategory', e.target.value)}>
            <option value="">{t('products.any')}</option>
            {subcategories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('products.size')}
          <select value={filters.size} onChange={(e) => set('size', e.target.value)}>
            <option value="">{t('products.any')}</option>
            {facets?.sizes.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('products.color')}
          <select value={filters.color} onChange={(e) => set('color', e.target.value)}>
            <option value="">{t('products.any')}</option>
            {facets?.colors.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('products.priceMin')}
          <input inputMode="decimal" size={6} value={filters.priceMin} onChange={(e) => set('priceMin', e.target.value)} />
        </label>
        <label>
          {t('products.priceMax')}
          <input inputMode="decimal" size={6} value={filters.priceMax} onChange={(e) => set('priceMax', e.target.value)} />
        </label>
        <label>
          <input type="checkbox" checked={filters.inStockHere} onChange={(e) => set('inStockHere', e.target.checked)} />
          {t('products.inStockHere')}
        </label>
        <label>
          <input type="checkbox" checked={filters.inStockNearby} onChange={(e) => set('inStockNearby', e.target.checked)} />
          {t('products.inStockNearby')}
        </label>
        {filtered && (
          <button type="button" className="link" onClick={() => setFilters(() => NO_FILTERS)}>
            {t('products.clearFilters')}
          </button>
        )}
      </fieldset>
      {message && <p role="alert">{message}</p>}
      {!index && (query.trim() || filtered) && <p className="muted">{t('products.preparing')}</p>}
      {hits && (query.trim() || filtered) && !message && (
        <p className="muted" aria-live="polite">
          {hits.length === 0 ? (query.trim() ? t('products.none', { query }) : t('products.noneFiltered')) : t('products.count', { count: hits.length })}
        </p>
      )}
      {hits && hits.length > 0 && (
        <VirtualList
          items={hits}
          rowHeight={ROW_HEIGHT}
          height={Math.min(hits.length * ROW_HEIGHT, 600)}
          itemKey={(h) => h.id}
          label={t('products.results')}
          className="results"
          renderRow={(h) => <ResultRow hit={h} currency={currency} locale={locale} storeId={storeId} />}
        />
      )}
      {scanning && <CameraScanDialog onCode={onScanned} onClose={() => setScanning(false)} />}
    </section>
  );
}

/** One result: name (the link), brand, category, colours, "from" price, and stock here / nearby. */
function ResultRow({ hit, currency, locale, storeId }: { hit: SearchHit; currency: Currency; locale: string; storeId: string }) {
  const t = useT();
  const from = hit.prices[currency]?.[0];
  return (
    <div className="result">
      <div className="result-main">
        <Link to={`/products/${encodeURIComponent(hit.id)}`}>{hit.name}</Link>
        <span className="muted">
          {hit.brand} · {hit.category.join(' › ')}
        </span>
        <span className="muted colors">{hit.colors.join(', ')}</span>
      </div>
      <div className="result-side">
        {from !== undefined && <span className="price">{t('products.from', { price: formatMoney(from, currency, locale) })}</span>}
        <RowStock productId={hit.id} storeId={storeId} />
      </div>
    </div>
  );
}

/** Stock of a result row: only rendered rows ask, so a window of rows costs a window of reads. */
function RowStock({ productId, storeId }: { productId: string; storeId: string }) {
  const t = useT();
  const { db } = useServices();
  const counts = useLiveQuery(async () => {
    const { stock, avail, locations } = await readProductStock(db, productId, storeId);
    const others = locations.filter((l) => l.kind === 'store' && l.id !== storeId).map((l) => l.id as string);
    const here = stock.reduce((n, s) => n + Math.max(0, s ? s.onHand - s.reserved : 0), 0);
    const nearby = Object.values(avail?.by ?? {}).reduce((n, by) => n + others.reduce((m, id) => m + Math.max(0, by[id] ?? 0), 0), 0);
    return { here, nearby };
  }, [db, productId, storeId]);
  if (!counts) return null;
  return (
    <span className="stock-badges">
      <span className={counts.here > 0 ? 'badge ok' : 'badge none'}>{t('products.here', { count: counts.here })}</span>
      <span className={counts.nearby > 0 ? 'badge ok' : 'badge none'}>{t('products.nearby', { count: counts.nearby })}</span>
    </span>
  );
}
