// Purchase history across channels [CL1]: sales in any store, web orders and returns, newest first,
// each opening onto its lines. Published by the server per customer, so it is there offline.
import { useT, useLocale } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import type { HistoryRow } from '@/core/model';
import { useStoreNames } from '@/db/hooks/customers';
import { useReturnedOf } from '@/db/hooks/use-returns';
import { useServices } from '@/state/services';

export function PurchaseHistory({ history }: { history: HistoryRow | undefined }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const stores = useStoreNames();
  const entries = history?.entries ?? [];
  const hidden = (history?.count ?? 0) - entries.length;
  // [RE3] A sale or order shows what has been taken back of each line (returns helper).
  const { db } = useServices();
  const returned = useReturnedOf(db, entries.filter((e) => e.kind !== 'return').map((e) => e.id));
  return (
    <section aria-label={t('customers.purchaseHistory')}>
      <h2>{t('customers.purchaseHistory')}</h2>
      {entries.length === 0 && <p className="muted">{t('customers.noHistory')}</p>}
      <ul className="list history">
        {entries.map((e) => (
          <li key={e.id}>
            <details>
              <summary>
                <strong>{e.number}</strong> · {new Date(e.at).toLocaleDateString(locale)} · {t(`customers.kind.${e.kind}`)} · {e.channel === 'web' && e.kind !== 'order' ? t('customers.kind.order') : (stores.get(e.storeId) ?? e.storeId)} ·{' '}
                {formatMoney(e.total, e.currency, locale)}
              </summary>
              {e.status && <p className="muted">{e.kind === 'return' ? t('returns.forPurchase', { number: e.status }) : t('customers.status', { status: e.status })}</p>}
              <ul>
                {e.lines.map((l, i) => (
                  <li key={`${l.sku}-${i}`}>
                    {l.qty} × {l.name} <span className="muted">{l.sku}</span> · {formatMoney(l.amount, e.currency, locale)}
                    {(returned.get(e.id)?.[i] ?? 0) > 0 && <span className="warning"> · {t('returns.returnedOfLine', { n: returned.get(e.id)![i]! })}</span>}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
      {hidden > 0 && <p className="muted">{t('customers.historyMore', { count: hidden })}</p>}
    </section>
  );
}
