// Endless aisle: search the whole catalog offline, or scan/type a barcode to open its product.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useServices } from '@/state/services';
import { useT, useLocale } from '@/i18n';
import { catalogIndex, lookupCode } from './catalog-index';
import type { SearchHit } from '@/core/catalog/search/catalog-index';
import { formatMoney } from '@/core/shared/money';
import type { Currency } from '@/core/shared/brand';
import { getDevice } from '@/db/device';

export function ProductsPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [currency, setCurrency] = useState<Currency>('EUR');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const d = await getDevice(db);
      const store = d ? await db.locations.get(d.storeId) : undefined;
      if (store) setCurrency(store.currency);
    })();
  }, [db]);

  useEffect(() => {
    let live = true;
    void (async () => {
      if (!q.trim()) {
        setHits([]);
        return;
      }
      const index = await catalogIndex(db);
      if (live) setHits(index.search(q, { limit: 60 }));
    })();
    return () => {
      live = false;
    };
  }, [q, db]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (/^\d{8,14}$/.test(q.trim()) || /^VT-/i.test(q.trim())) {
      const v = await lookupCode(db, q);
      if (v) {
        navigate(`/products/${encodeURIComponent(v.productId)}?sku=${encodeURIComponent(v.sku)}`);
        return;
      }
      setMessage(t('products.unknownBarcode', { code: q.trim() }));
    }
  }

  return (
    <section>
      <h1>{t('products.title')}</h1>
      <form role="search" onSubmit={(e) => void submit(e)}>
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
      {message && <p role="alert">{message}</p>}
      {q.trim() && hits.length === 0 && !message && <p>{t('products.none', { query: q })}</p>}
      <ul className="results">
        {hits.map((h) => {
          const from = h.prices[currency]?.[0];
          return (
            <li key={h.id}>
              <Link to={`/products/${encodeURIComponent(h.id)}`}>{h.name}</Link>
              <span className="muted">
                {' '}
                {h.brand} · {h.category.join(' › ')}
              </span>
              {from !== undefined && <span className="price">{formatMoney(from, currency, locale)}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
