// The receipt [MO4], as printed on 80 mm paper and shown on screen: the store (name, address, tax id),
// date and time, associate, lines with tax, discounts, totals, tenders, change, the customer's points,
// the return policy and a barcode of its number. Rendered from the sale's record, so a reprint is
// the same receipt.
import type { SaleRecord } from '@/db/hooks/use-sale';
import { useT, useLocale, type MessageKey } from '@/i18n';
import { formatMoney } from '@/core/shared/money';
import { decodeHlc, type Hlc } from '@/core/shared/hlc';
import { Barcode } from '@/components/barcode';

const TENDER_LABEL: Record<string, MessageKey> = { cash: 'pay.cash', card: 'pay.card', 'store-credit': 'pay.storeCredit', loyalty: 'pay.loyalty' };

export function ReceiptPaper({ record }: { record: SaleRecord }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { sale, store, associate, approver, customer } = record;
  const money = (m: number) => formatMoney(m, sale.currency, locale);
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', ...(store?.timeZone ? { timeZone: store.timeZone } : {}) }).format(new Date(decodeHlc(sale.at as Hlc).wall));
  const inclusive = (store?.taxMode ?? 'inclusive') === 'inclusive';
  return (
    <article className="receipt-paper" aria-label={t('receipt.paper')}>
      <div className="receipt-head">
        <strong>{store?.name ?? sale.storeId}</strong>
        {store?.address && <div>{store.address}</div>}
        {store && (
          <div>
            {store.city}, {store.country}
          </div>
        )}
        {store?.taxId && <div>{t('receipt.taxId', { id: store.taxId })}</div>}
      </div>
      <p>
        {t('receipt.number', { number: sale.receiptNo })}
        <br />
        {when} · {t('receipt.associate', { name: associate?.name ?? sale.actor })}
      </p>
      <table>
        <tbody>
          {sale.lines.map((l, i) => (
            <tr key={i}>
              <td>
                {l.name}
                <br />
                <small>
                  {l.sku} · {l.qty} × {money(l.unitPrice)} · {t('receipt.lineTax', { amount: money(l.tax) })}
                  {l.discount ? ` · −${money(l.discount)}` : ''}
                  {l.discountReason ? ` (${t(`reason.${l.discountReason}` as MessageKey)})` : ''}
                </small>
              </td>
              <td className="num">{money(l.lineTotal)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="receipt-totals">
        {sale.discount ? (
          <>
            <dt>{t('cart.subtotal')}</dt>
            <dd>{money(sale.subtotal ?? sale.total)}</dd>
            <dt>{t('cart.discounts')}</dt>
            <dd>−{money(sale.discount)}</dd>
          </>
        ) : null}
        <dt>{inclusive ? t('cart.taxIncluded') : t('cart.tax')}</dt>
        <dd>{money(sale.tax)}</dd>
        <dt>
          <strong>{t('cart.total')}</strong>
        </dt>
        <dd>
          <strong>{money(sale.total)}</strong>
        </dd>
        {sale.tenders.map((tender, i) => (
          <FragmentRow key={i} label={`${t(TENDER_LABEL[tender.kind] ?? 'pay.cash')}${tender.ref ? ` ${tender.ref}` : ''}${tender.points ? ` (${t('receipt.pointsRedeemed', { points: tender.points })})` : ''}${tender.offline ? ` (${t('receipt.offline')})` : ''}`} value={money(tender.amount)} />
        ))}
        <dt>{t('receipt.change')}</dt>
        <dd>{money(sale.change)}</dd>
      </dl>
      {approver && <p>{t('receipt.approvedBy', { name: approver.name })}</p>}
      {record.order && (
        <p className="order-note">
          {t('order.number', { number: record.order.number })}
          <br />
          {record.order.shipTo
            ? t('order.shipsTo', { address: `${record.order.shipTo.street}, ${record.order.shipTo.postalCode} ${record.order.shipTo.city}, ${record.order.shipTo.country}` })
            : t('order.pickupAt', { name: record.pickupStore?.name ?? record.order.storeOrder?.pickupStoreId ?? '' })}
          {record.order.storeOrder?.promisedBy && (
            <>
              <br />
              {t('order.promised', { date: new Date(`${record.order.storeOrder.promisedBy}T12:00:00Z`).toLocaleDateString(locale, { dateStyle: 'medium', timeZone: 'UTC' }) })}
            </>
          )}
        </p>
      )}
      {customer && (
        <p>
          {customer.firstName} {customer.lastName}
          {sale.pointsEarned !== undefined && (
            <>
              <br />
              {/* [LO1][LO3] The balance after this sale; until the server has it, the points earned are pending. */}
              {t(record.unsent ? 'receipt.pointsPending' : 'receipt.points', { earned: sale.pointsEarned, balance: sale.pointsBalance ?? customer.points })}
            </>
          )}
        </p>
      )}
      <p className="policy">{t('receipt.policy')}</p>
      <Barcode value={sale.receiptNo} />
    </article>
  );
}

function FragmentRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
