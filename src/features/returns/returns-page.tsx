// Returns: find the purchase by receipt or order number among what this tablet knows.
import { useState, type FormEvent } from 'react';
import { useServices } from '@/state/services';
import { useT, useLocale } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import type { SaleRow, OrderRow } from '@/core/model';

export function ReturnsPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const [number, setNumber] = useState('');
  const [found, setFound] = useState<SaleRow | OrderRow | null | undefined>(undefined);

  async function find(e: FormEvent) {
    e.preventDefault();
    const n = number.trim().toUpperCase();
    setFound((await db.sales.where('receiptNo').equals(n).first()) ?? (await db.orders.where('number').equals(n).first()) ?? null);
  }

  return (
    <section>
      <h1>{t('returns.title')}</h1>
      <form onSubmit={(e) => void find(e)} className="inline">
        <label>
          {t('returns.lookup')}
          <input value={number} onChange={(e) => setNumber(e.target.value)} />
        </label>
        <button type="submit">{t('returns.find')}</button>
        <button type="button" className="secondary" disabled title={t('returns.comingSoon')}>
          {t('returns.noReceipt')}
        </button>
      </form>
      {found === null && <p role="alert">{t('returns.notFound', { number })}</p>}
      {found && (
        <div className="card">
          <h2>{'receiptNo' in found ? found.receiptNo : found.number}</h2>
          <ul className="list">
            {found.lines.map((l) => (
              <li key={l.sku}>
                {l.qty} × {l.name} ({l.sku}) · {formatMoney(l.unitPrice, found.currency, locale)}
              </li>
            ))}
          </ul>
          <p className="muted">{t('returns.comingSoon')}</p>
        </div>
      )}
    </section>
  );
}
