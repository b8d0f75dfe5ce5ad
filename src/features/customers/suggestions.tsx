// Suggestions for the associate [CL5]: wishlist items back in stock here, then styles like past
// purchases in the customer's sizes, in stock here.
import { Link } from 'react-router';
import { useT } from '@/i18n';
import type { CustomerRow, HistoryRow } from '@/core/model';
import { useSuggestions } from '@/db/hooks/customers';

export function Suggestions({ customer, history, storeId, onWish }: { customer: CustomerRow; history: HistoryRow | undefined; storeId: string | undefined; onWish: (sku: string) => void }) {
  const t = useT();
  const items = useSuggestions(customer, history, storeId);
  return (
    <section aria-label={t('customers.suggestions')}>
      <h2>{t('customers.suggestions')}</h2>
      {items?.length === 0 && <p className="muted">{t('customers.noSuggestions')}</p>}
      <ul className="list">
        {items?.map((s) => (
          <li key={s.sku}>
            <Link to={`/products/${encodeURIComponent(s.productId)}`}>{s.name}</Link> <span className="muted">{s.brand}</span>
            <br />
            <small>
              {t('customers.variant', { size: s.size || '—', color: s.color || '—' })} · {t('customers.here', { count: s.here })} · {t(`customers.reason.${s.reason}`)}
            </small>{' '}
            {s.reason !== 'wishlist' && (
              <button type="button" className="secondary" aria-label={t('customers.wishlistAddItem', { name: s.name })} onClick={() => onWish(s.sku)}>
                ♡
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
