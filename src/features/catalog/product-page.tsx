// A product: size × colour grid with stock here, price, details, where else it is (Availability, with
// ages), add to cart, and links to similar items in stock here and to recently viewed products.
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useCart } from '@/state/cart';
import { useT, useLocale, formatAge, byCode, type T } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import type { LocationRow, StockRow, VariantRow } from '@/core/model';
import type { Currency } from '@/core/shared/brand';
import { compareSizes } from '@/core/catalog/search/facets';
import { productsById, useProduct } from '@/db/catalog';
import { useCatalogIndex } from './catalog-index';
import { readStockSets } from './search-filters';
import { recentlyViewed, recordView } from './recently-viewed';
import { ProductImage } from './product-image';

/** A figure older than this is shown amber and marked stale. */
const STALE_AFTER_MS = 3600_000;
const SIMILAR_COUNT = 6;

function distanceKm(a: LocationRow, b: LocationRow) {
  const r = Math.PI / 180;
  const x = (b.lon - a.lon) * r * Math.cos(((a.lat + b.lat) / 2) * r);
  const y = (b.lat - a.lat) * r;
  return Math.sqrt(x * x + y * y) * 6371;
}

function Age({ t, at, now }: { t: T; at: number | undefined; now: number }) {
  if (at === undefined) return <td className="muted" />;
  const stale = now - at > STALE_AFTER_MS;
  return (
    <td className={stale ? 'age stale' : 'age muted'}>
      {formatAge(t, at, now)}
      {stale && <span className="stale-tag"> · {t('product.stale')}</span>}
    </td>
  );
}

export function ProductPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const add = useCart((s) => s.add);
  const [added, setAdded] = useState(false);
  const data = useProduct(db, id);
  const [chosen, setChosen] = useState<string | null>(params.get('sku'));
  // A scan or link to another variant of the same page moves the choice with it.
  const skuParam = params.get('sku');
  useEffect(() => setChosen(skuParam), [skuParam, id]);
  // Until the associate picks one, the page offers the first size and colour on this store's shelf
  // (the first variant overall only when none is here): adding what the customer holds is one tap.
  const variant = useMemo(
    () =>
      data?.variants.find((v) => v.sku === chosen) ??
      data?.variants.find((_, i) => {
        const s = data.stock[i];
        return s !== undefined && s.onHand - s.reserved > 0;
      }) ??
      data?.variants[0],
    [data, chosen],
  );

  useEffect(() => {
    setAdded(false);
    if (id) void recordView(db, id);
  }, [db, id]);

  if (!data) return null;
  const { product, variants, locations, here, stock, avail, availAt, storeId } = data;
  if (!product) return <p>{t('product.notFound')}</p>;
  const currency = here?.currency ?? 'EUR';
  const idx = variant ? variants.indexOf(variant) : -1;
  const a = idx >= 0 ? avail[idx] : undefined;
  const s = idx >= 0 ? stock[idx] : undefined;
  const others = locations
    .filter((l) => l.kind === 'store' && l.id !== here?.id)
    .sort((x, y) => (here ? distanceKm(here, x) - distanceKm(here, y) : x.name.localeCompare(y.name)));
  const warehouses = locations.filter((l) => l.kind === 'warehouse');
  const now = Date.now();
  const price = variant?.prices[currency];
  const attributes = Object.entries(product.attributes);

  return (
    <article className="product">
      <div className="product-head">
        <ProductImage name={product.name} imageUrl={product.imageUrl} color={variants[0]?.color} />
        <div>
          <h1>{product.name}</h1>
          <p className="muted">
            {product.brand} · {product.category.join(' › ')}
          </p>
          {price !== undefined && <p className="price big">{formatMoney(price, currency, locale)}</p>}
        </div>
      </div>
      <VariantGrid variants={variants} stock={stock} chosen={variant?.sku} onChoose={setChosen} t={t} />
      <button
        type="button"
        disabled={!variant || price === undefined}
        onClick={() => {
          if (!variant || price === undefined) return;
          add({ sku: variant.sku, productId: product.id, name: product.name, size: variant.size, color: variant.color, unitPrice: price });
          setAdded(true);
        }}
      >
        {t('product.addToCart')}
      </button>
      {added && <p role="status">{t('product.added')}</p>}
      <section role="region" aria-label={t('product.availability')} className="card">
        <h2>{t('product.availability')}</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">{t('product.thisStore')}</th>
              <td>{s ? s.onHand - s.reserved : 0}</td>
              <Age t={t} at={s?.at} now={now} />
            </tr>
            {others.map((l) => (
              <tr key={l.id}>
                <th scope="row">
                  {l.name} <span className="muted">({l.city})</span>
                </th>
                <td>{a?.[l.id] ?? 0}</td>
                <Age t={t} at={a ? availAt : undefined} now={now} />
              </tr>
            ))}
            {warehouses.map((l) => (
              <tr key={l.id}>
                <th scope="row">{t('product.warehouse')}</th>
                <td>{a?.[l.id] ?? 0}</td>
                <Age t={t} at={a ? availAt : undefined} now={now} />
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="order-for-customer">
        <h2 id="order-for-customer">{t('product.orderForCustomer')}</h2>
        <p className="muted">{t('product.orderLater')}</p>
      </section>
      {(product.description || attributes.length > 0) && (
        <section aria-labelledby="product-details">
          <h2 id="product-details">{t('product.details')}</h2>
          {product.description && <p>{product.description}</p>}
          {attributes.length > 0 && (
            <dl className="attributes">
              {attributes.map(([k, v]) => (
                <div key={k}>
                  <dt>{byCode(t, 'attribute', k, k)}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      )}
      <SimilarItems productId={product.id} storeId={storeId} currency={currency} locale={locale} />
      <RecentlyViewed currentId={product.id} />
    </article>
  );
}

/** Size × colour: rows are colours, columns sizes; each cell a radio named "<size> · <colour>" with stock here. */
function VariantGrid({ variants, stock, chosen, onChoose, t }: { variants: VariantRow[]; stock: (StockRow | undefined)[]; chosen: string | undefined; onChoose: (sku: string) => void; t: T }) {
  const colors = [...new Set(variants.map((v) => v.color))];
  const sizes = [...new Set(variants.map((v) => v.size))].sort(compareSizes);
  const cell = new Map(variants.map((v, i) => [`${v.color}\u0000${v.size}`, { v, s: stock[i] }]));
  return (
    <fieldset className="variant-grid">
      <legend>{t('product.variants')}</legend>
      <table>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">
                {t('product.color')} / {t('product.size')}
              </span>
            </th>
            {sizes.map((size) => (
              <th scope="col" key={size}>
                {size}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {colors.map((color) => (
            <tr key={color}>
              <th scope="row">{color}</th>
              {sizes.map((size) => {
                const c = cell.get(`${color}\u0000${size}`);
                if (!c) return <td key={size} className="cell none" aria-hidden="true">–</td>;
                const available = c.s ? c.s.onHand - c.s.reserved : 0;
                const isChosen = c.v.sku === chosen;
                return (
                  <td key={size} className={`cell${isChosen ? ' chosen' : ''}${available > 0 ? '' : ' out'}`}>
                    <label>
                      <input type="radio" name="variant" aria-label={`${size} · ${color}`} checked={isChosen} onChange={() => onChoose(c.v.sku)} />
                      <span>{t('product.onHand', { count: available })}</span>
                    </label>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

/** Same category and brand first, in stock here (the index ranks; the stock set is read once per change). */
function SimilarItems({ productId, storeId, currency, locale }: { productId: string; storeId: string; currency: Currency; locale: string }) {
  const t = useT();
  const { db } = useServices();
  const { index, revision } = useCatalogIndex(db);
  const sets = useLiveQuery(() => readStockSets(db, storeId, { here: true, nearby: false }), [db, storeId]);
  const items = useMemo(() => {
    const inStock = sets?.here;
    if (!index || !inStock || revision < 0) return null;
    return index.similar(productId, SIMILAR_COUNT, { where: (id) => inStock.has(id), currency });
  }, [index, revision, sets, productId, currency]);
  if (!items) return null;
  return (
    <section aria-labelledby="similar-items">
      <h2 id="similar-items">{t('product.similar')}</h2>
      {items.length === 0 ? (
        <p className="muted">{t('product.noSimilar')}</p>
      ) : (
        <ul className="tiles">
          {items.map((d) => {
            const from = d.prices[currency]?.[0];
            return (
              <li key={d.id}>
                <Link to={`/products/${encodeURIComponent(d.id)}`}>{d.name}</Link>
                <span className="muted">{d.brand}</span>
                {from !== undefined && <span className="muted">{t('products.from', { price: formatMoney(from, currency, locale) })}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function RecentlyViewed({ currentId }: { currentId: string }) {
  const t = useT();
  const { db } = useServices();
  const items = useLiveQuery(async () => {
    const ids = (await recentlyViewed(db)).filter((x) => x !== currentId);
    return productsById(db, ids);
  }, [db, currentId]);
  if (!items || items.length === 0) return null;
  return (
    <section aria-labelledby="recently-viewed">
      <h2 id="recently-viewed">{t('product.recentlyViewed')}</h2>
      <ul className="tiles">
        {items.map((p) => (
          <li key={p.id}>
            <Link to={`/products/${encodeURIComponent(p.id)}`}>{p.name}</Link>
            <span className="muted">{p.brand}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
