// "Needs attention": what the tablet could not get the server to take, in words, with what to do:
// rejected commands [C4] (a paid sale stays, with its receipt [SE3]), commands set aside after
// repeated server faults [D10], receipts renumbered after a restore [D5], and commands of a revoked
// earlier enrollment waiting for an administrator's import [D6].
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useT, useLocale, type T, type MessageKey } from '@/i18n';
import type { AlertEntry } from '@/db/schema';
import { dismissAlert, retrySetAside } from '@/db/sync-store';
import { formatMoney } from '@/core/shared/money';
import type { Currency } from '@/core/shared/brand';
import type { OrderRow, SaleRow } from '@/core/model';
import { commandWords, reasonWords } from '@/i18n/command-words';

/** What a person calls each command. */
const WHAT: Record<string, MessageKey> = {
  'sale.complete': 'attention.what.sale',
  'customer.update': 'attention.what.customer',
  'note.add': 'attention.what.note',
  'exception.resolve': 'attention.what.exception',
  'order.create': 'order.what',
};
const what = (t: T, type: string): string => (WHAT[type] ? t(WHAT[type]) : commandWords(t, type));

interface SaleFacts {
  receiptNo: string;
  amount: string;
}

/** The receipt number and amount of a sale (from its row on the tablet, else from its payload). */
export function saleFacts(a: AlertEntry, row: SaleRow | undefined, locale: string): SaleFacts | undefined {
  const p = a.command.payload as { receiptNo?: string; currency?: Currency; lines?: { qty: number; unitPrice: number }[] } | null;
  if (!p?.receiptNo || !p.currency) return undefined;
  const total = row?.total ?? (p.lines ?? []).reduce((s, l) => s + l.qty * l.unitPrice, 0);
  return { receiptNo: a.receiptNo?.now ?? p.receiptNo, amount: formatMoney(total, p.currency, locale) };
}

/** What happened and what to do, in words a cashier or manager can act on. */
export function alertMessage(t: T, a: AlertEntry, sale: SaleFacts | undefined, orderNumber?: string): string {
  // [EX1] The reason in the active language from its code; the server's sentence only for a code
  // this app has no words for (a set-aside's reason is a fault, not a refusal).
  const reason = a.kind === 'rejected' ? reasonWords(t, a.error?.code, a.error?.message ?? '') : (a.error?.message ?? '');
  const thing = what(t, a.command.type);
  switch (a.kind) {
    case 'rejected':
      if (sale) return t('attention.saleRejected', { receipt: sale.receiptNo, amount: sale.amount, reason });
      return orderNumber ? t('attention.orderRejected', { what: thing, number: orderNumber, reason }) : t('attention.rejected', { what: thing, reason });
    case 'set-aside':
      return sale ? t('attention.saleSetAside', { receipt: sale.receiptNo, amount: sale.amount, reason }) : t('attention.setAside', { what: thing, reason });
    case 'renumbered':
      return t('attention.renumbered', { printed: a.receiptNo?.printed ?? '', now: a.receiptNo?.now ?? '', amount: sale?.amount ?? '' });
    case 'export-needed':
      return sale ? t('attention.saleExport', { receipt: sale.receiptNo, amount: sale.amount }) : t('attention.export', { what: thing });
  }
}

/** The order a pickup command was about, from the tablet's copy of it. */
const orderIdOf = (a: AlertEntry): string => {
  const id = (a.command.payload as { orderId?: unknown } | null)?.orderId;
  return typeof id === 'string' ? id : '';
};

export function AttentionPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const data = useLiveQuery(async () => {
    const items = await db.alerts.orderBy('at').reverse().toArray();
    const ids = items.map((a) => (a.command.payload as { saleId?: unknown } | null)?.saleId).map((id) => (typeof id === 'string' ? id : ''));
    const [rows, orders] = await Promise.all([db.sales.bulkGet(ids), db.orders.bulkGet(items.map(orderIdOf))]);
    return items.map((a, i) => ({ a, row: rows[i], order: orders[i] as OrderRow | undefined }));
  }, [db]);
  return (
    <section>
      <h1>{t('attention.title')}</h1>
      {data?.length === 0 && <p>{t('attention.none')}</p>}
      <ul className="list">
        {data?.map(({ a, row, order }) => {
          const sale = saleFacts(a, row, locale);
          return (
            <li key={a.id} className="card">
              <strong>{sale ? t('attention.saleTitle', { receipt: sale.receiptNo, amount: sale.amount }) : order ? t('attention.orderTitle', { number: order.number }) : what(t, a.command.type)}</strong>
              <p>{alertMessage(t, a, sale, order?.number)}</p>
              {a.kind === 'set-aside' && (
                <button type="button" onClick={() => void retrySetAside(db, a.id, Date.now())}>
                  {t('attention.retry')}
                </button>
              )}
              {a.kind !== 'export-needed' && (
                <button type="button" className="secondary" onClick={() => void dismissAlert(db, a.id)}>
                  {t('attention.done')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
