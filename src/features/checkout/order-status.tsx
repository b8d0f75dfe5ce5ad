// [OR3] An order as the placing tablet sees it: its status (which arrives with this store's stream once
// the server has sourced it), where it is collected or where it ships, the promised delivery date, where
// each line comes from, and what could not be found.
import { useServices } from '@/state/services';
import { useOrder } from '@/db/hooks/use-order';
import { useT, useLocale, type MessageKey } from '@/i18n';

export function OrderStatus({ orderId }: { orderId: string }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const view = useOrder(db, orderId);
  if (!view) return null;
  const { order, names } = view;
  const so = order.storeOrder;
  const name = (id: string) => names[id] ?? id;
  const lineName = (sku: string) => order.lines.find((l) => l.sku === sku)?.name ?? sku;
  const date = (d: string) => new Date(`${d}T12:00:00Z`).toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  return (
    <section className="card order-status no-print" aria-label={t('order.status')}>
      <h2>{t('order.status')}</h2>
      <p role="status">{t(`order.status.${order.status}` as MessageKey)}</p>
      {so?.pickupStoreId && <p>{t('order.pickupAt', { name: name(so.pickupStoreId) })}</p>}
      {order.shipTo && <p>{t('order.shipsTo', { address: `${order.shipTo.street}, ${order.shipTo.postalCode} ${order.shipTo.city}, ${order.shipTo.country}` })}</p>}
      {so?.promisedBy && <p className="promised">{t('order.promised', { date: date(so.promisedBy) })}</p>}
      {so?.allocations && so.allocations.length > 0 && (
        <ul className="list">
          {so.allocations.map((a, i) => (
            <li key={i}>{t('order.from', { qty: a.qty, name: lineName(a.sku), place: name(a.locationId) })}</li>
          ))}
        </ul>
      )}
      {so?.unsourced && so.unsourced.length > 0 && (
        <p role="alert" className="error">
          {t('order.unsourced', { items: so.unsourced.map((u) => `${u.qty} × ${lineName(u.sku)}`).join(', ') })}
        </p>
      )}
    </section>
  );
}
