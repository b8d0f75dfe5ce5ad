// A reprint: any sale on this tablet, rendered from its record [MO4].
import { Link, useParams } from 'react-router';
import { useServices } from '@/state/services';
import { useRecentSales, useSaleRecord } from '@/db/hooks/use-sale';
import { useT } from '@/i18n';
import { ReceiptActions } from './receipt-actions';

export function ReceiptPage() {
  const t = useT();
  const { db } = useServices();
  const { saleId = '' } = useParams();
  const record = useSaleRecord(db, saleId);
  if (record === undefined) return null;
  if (record === null) return <p className="error">{t('receipt.missing', { number: saleId })}</p>;
  return <ReceiptActions saleId={saleId} receiptNo={record.sale.receiptNo} />;
}

export function RecentReceipts() {
  const t = useT();
  const { db } = useServices();
  const sales = useRecentSales(db);
  if (!sales?.length) return null;
  return (
    <section aria-label={t('receipt.recent')}>
      <h2>{t('receipt.recent')}</h2>
      <ul className="list">
        {sales.map((s) => (
          <li key={s.id}>
            <Link to={`/receipts/${encodeURIComponent(s.id)}`}>{t('receipt.number', { number: s.receiptNo })}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
