// A product: variants with stock here, price, and where else it is (Availability, with ages).
import { useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useCart } from '@/state/cart';
import { useT, useLocale, formatAge } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import { stockKey, type LocationRow } from '@/core/model';
import { getDevice } from '@/db/device';

function distanceKm(a: LocationRow, b: LocationRow) {
  const r = Math.PI / 180;
  const x = (b.lon - a.lon) * r * Math.cos(((a.lat + b.lat) / 2) * r);
  const y = (b.lat - a.lat) * r;
  return Math.sqrt(x * x + y * y) * 6371;
}

export function ProductPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const add = useCart((s) => s.add);
  const [added, setAdded] = useState(false);
  const data = useLiveQuery(async () => {
    const device = await getDevice(db);
    const product = await db.products.get(id);
    const variants = await db.variants.where('productId').equals(id).toArray();
    const locations = await db.locations.toArray();
    const here = locations.find((l) => l.id === device?.storeId);
    const stock = await db.stock.bulkGet(variants.map((v) => stockKey(device?.storeId ?? '', v.sku)));
    const avail = await db.availability.bulkGet(variants.map((v) => v.sku));
    return { product, variants, locations, here, stock, avail };
  }, [db, id]);
  const [chosen, setChosen] = useState<string | null>(params.get('sku'));
  const variant = useMemo(() => data?.variants.find((v) => v.sku === chosen) ?? data?.variants[0], [data, chosen]);

  if (!data) return null;
  const { product, variants, locations, here, stock, avail } = data;
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

  return (
    <article>
      <h1>{product.name}</h1>
      <p className="muted">
        {product.brand} · {product.category.join(' › ')}
      </p>
      {price !== undefined && <p className="price big">{formatMoney(price, currency, locale)}</p>}
      <p>{product.description}</p>
      <fieldset>
        <legend>
          {t('product.size')} / {t('product.color')}
        </legend>
        <div className="variants">
          {variants.map((v, i) => (
            <label key={v.sku} className={v.sku === variant?.sku ? 'chip chosen' : 'chip'}>
              <input type="radio" name="variant" checked={v.sku === variant?.sku} onChange={() => setChosen(v.sku)} />
              {v.size} · {v.color} <small>{t('product.onHand', { count: (stock[i]?.onHand ?? 0) - (stock[i]?.reserved ?? 0) })}</small>
            </label>
          ))}
        </div>
      </fieldset>
      <button
        type="button"
        disabled={!variant || price === undefined}
        onClick={() => {
          if (!variant || price === undefined) return;
          add({ sku: variant.sku, name: product.name, size: variant.size, color: variant.color, unitPrice: price });
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
              <td className="muted">{s ? formatAge(t, s.at, now) : ''}</td>
            </tr>
            {others.map((l) => (
              <tr key={l.id}>
                <th scope="row">
                  {l.name} <span className="muted">({l.city})</span>
                </th>
                <td>{a?.by[l.id] ?? 0}</td>
                <td className={a && now - a.at > 3600_000 ? 'muted stale' : 'muted'}>{a ? formatAge(t, a.at, now) : ''}</td>
              </tr>
            ))}
            {warehouses.map((l) => (
              <tr key={l.id}>
                <th scope="row">{t('product.warehouse')}</th>
                <td>{a?.by[l.id] ?? 0}</td>
                <td className="muted">{a ? formatAge(t, a.at, now) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
