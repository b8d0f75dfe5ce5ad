// After a sale: "Receipt <number>", the receipt itself, Print, Email (queued, [W3]) and New sale.
// What is on screen comes from the sale's record and the cart's durable `receipt`, so a reload or a
// remount shows the same receipt [SE3].
import { useState, type FormEvent } from 'react';
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { useSaleRecord } from '@/db/hooks/use-sale';
import { dispatch } from '@/db/dispatch';
import { receiptEmail } from '@/core/sales/receipt-email';
import { Button } from '@/components/button';
import { useT, useLocale } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import { ReceiptPaper } from './receipt-paper';
import { OrderStatus } from './order-status';

export function ReceiptActions({ saleId, receiptNo, orderId: ordered, onNewSale }: { saleId: string; receiptNo: string; orderId?: string; onNewSale?: () => void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const record = useSaleRecord(db, saleId);
  const who = useSession((s) => s.who);
  const saveError = useSaveError();
  const [emailing, setEmailing] = useState(false);
  const [email, setEmail] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  // [OR3] A paid order shows its number and status; a reprint finds the order from the sale.
  const orderId = ordered ?? record?.sale.orderId;

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!who || !record) return setNote({ ok: false, text: t('pay.signedOut') });
    try {
      await dispatch(db, who.id, receiptEmail, { saleId, storeId: record.sale.storeId, email: email.trim() });
      setNote({ ok: true, text: t('receipt.emailQueued', { email: email.trim() }) });
      setEmailing(false);
    } catch (err) {
      setNote({ ok: false, text: saveError(err) });
    }
  }

  return (
    <section className="receipt">
      <h1>{orderId ? t('order.number', { number: receiptNo }) : t('receipt.number', { number: receiptNo })}</h1>
      {orderId && <OrderStatus orderId={orderId} />}
      {record && <p className="total no-print">{t('pay.change', { amount: formatMoney(record.sale.change, record.sale.currency, locale) })}</p>}
      <div className="inline no-print">
        <Button onClick={() => window.print()}>{t('receipt.print')}</Button>
        <Button
          variant="secondary"
          onClick={() => {
            setEmail(record?.customer?.email ?? '');
            setEmailing(true);
          }}
        >
          {t('receipt.email')}
        </Button>
        {onNewSale && <Button onClick={onNewSale}>{t('receipt.new')}</Button>}
      </div>
      {emailing && (
        <form className="inline no-print" onSubmit={(e) => void send(e)}>
          <label>
            {t('customers.email')}
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-label={t('customers.email')} required />
          </label>
          <Button type="submit">{t('receipt.send')}</Button>
        </form>
      )}
      {note && (
        <p role={note.ok ? 'status' : 'alert'} className={note.ok ? 'no-print' : 'error no-print'}>
          {note.text}
        </p>
      )}
      {record === null && <p className="error">{t('receipt.missing', { number: receiptNo })}</p>}
      {record && <ReceiptPaper record={record} />}
    </section>
  );
}
