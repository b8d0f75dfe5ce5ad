// After a sale: "Receipt <number>", the receipt itself, Print, Email (queued, [W3]) and New sale.
// What is on screen comes from the sale's record and the cart's durable `receipt`, so a reload or a
// remount shows the same receipt [SE3].
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import { useSaleRecord } from '@/db/hooks/use-sale';
import { dispatch } from '@/db/dispatch';
import { receiptEmail } from '@/core/sales/receipt-email';
import { Button } from '@/components/button';
import { ReceiptToolbar } from '@/components/receipt-toolbar';
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
  // [OR3] A paid order shows its number and status; a reprint finds the order from the sale.
  const orderId = ordered ?? record?.sale.orderId;

  async function send(email: string) {
    if (!who || !record) return t('pay.signedOut');
    await dispatch(db, who.id, receiptEmail, { saleId, storeId: record.sale.storeId, email });
  }

  return (
    <section className="receipt">
      <h1>{orderId ? t('order.number', { number: receiptNo }) : t('receipt.number', { number: receiptNo })}</h1>
      {orderId && <OrderStatus orderId={orderId} />}
      {record && <p className="total no-print">{t('pay.change', { amount: formatMoney(record.sale.change, record.sale.currency, locale) })}</p>}
      <ReceiptToolbar {...(record?.customer?.email ? { defaultEmail: record.customer.email } : {})} send={send}>
        {onNewSale && <Button onClick={onNewSale}>{t('receipt.new')}</Button>}
      </ReceiptToolbar>
      {record === null && <p className="error">{t('receipt.missing', { number: receiptNo })}</p>}
      {record && <ReceiptPaper record={record} />}
    </section>
  );
}
