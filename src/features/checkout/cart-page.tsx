// The till: cart lines, customer, fulfillment, then payment and the receipt. Completing a sale is a
// local command: final the moment it is committed, whatever the network does [C5].
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useCart } from '@/state/cart';
import { useSession, can } from '@/state/session';
import { useT, useLocale } from '@/i18n';
import { formatMoney, parseMoney, times, sum, taxOnTop, add } from '@/core/shared/money';
import { dispatch } from '@/db/dispatch';
import { useSaveError } from '@/state/save-errors';
import { getDevice } from '@/db/device';
import type { Minor } from '@/core/shared/brand';
import { saleComplete } from '@/core/sales/sale-complete';

type Stage = { kind: 'cart' } | { kind: 'pay' } | { kind: 'done'; receiptNo: string; change: Minor };

export function CartPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const saveError = useSaveError();
  const who = useSession((s) => s.who);
  const cart = useCart();
  const [stage, setStage] = useState<Stage>({ kind: 'cart' });
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [customerQuery, setCustomerQuery] = useState<string | null>(null);
  const store = useLiveQuery(async () => {
    const d = await getDevice(db);
    return d ? db.locations.get(d.storeId) : undefined;
  }, [db]);
  const matches = useLiveQuery(async () => {
    const q = customerQuery?.trim().toLowerCase();
    if (!q || q.length < 2) return [];
    return db.customers.filter((c) => `${c.firstName} ${c.lastName} ${c.email} ${c.phone}`.toLowerCase().includes(q)).limit(8).toArray();
  }, [db, customerQuery]);

  const currency = store?.currency ?? 'EUR';
  const money = (m: number) => formatMoney(m, currency, locale);
  const lineSum = sum(cart.lines.map((l) => times(l.unitPrice, l.qty)));
  // Tax-exclusive stores add tax on top per line; inclusive stores' prices already hold it.
  const total: Minor =
    store?.taxMode === 'exclusive' ? add(lineSum, sum(cart.lines.map((l) => taxOnTop(times(l.unitPrice, l.qty), store.taxRates.standard ?? 0)))) : lineSum;

  async function complete(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!who || !store) return;
    if (!can(who.role, 'cashier')) {
      setError(t('pay.needsCashier'));
      return;
    }
    const tendered = amount.trim() === '' ? total : parseMoney(amount, currency);
    if (tendered === undefined || tendered < total) {
      setError(t('pay.short'));
      return;
    }
    try {
      // The cart knows each line's product: the sale reads it in its first round trip, not a second.
      const alsoReads = [{ table: 'products' as const, keys: cart.lines.map((l) => l.productId) }];
      const res = await dispatch(db, who.id, saleComplete, (alloc) => ({
        saleId: alloc.newId(),
        storeId: store.id,
        receiptNo: alloc.receiptNo(),
        currency,
        ...(cart.customerId ? { customerId: cart.customerId } : {}),
        lines: cart.lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice })),
        tenders: [{ kind: 'cash', amount: tendered }],
      }), undefined, { alsoReads });
      const summary = res.effects.summary;
      cart.clear();
      setAmount('');
      setStage({ kind: 'done', receiptNo: summary.receiptNo, change: summary.change });
    } catch (err) {
      // [D2] A full disk: nothing was written (the transaction aborted whole), the cart is untouched.
      setError(saveError(err, t('pay.storageFull')));
    }
  }

  if (stage.kind === 'done') {
    return (
      <section className="receipt">
        <h1>{t('receipt.number', { number: stage.receiptNo })}</h1>
        <p>{t('pay.change', { amount: money(stage.change) })}</p>
        <button type="button" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
        <button type="button" className="secondary" disabled title={t('pay.notCash')}>
          {t('receipt.email')}
        </button>
        <button type="button" onClick={() => setStage({ kind: 'cart' })}>
          {t('receipt.new')}
        </button>
      </section>
    );
  }

  return (
    <section>
      <h1>{t('cart.title')}</h1>
      {cart.lines.length === 0 && (
        <p>
          <Link to="/products">{t('cart.empty')}</Link>
        </p>
      )}
      <ul className="list">
        {cart.lines.map((l) => (
          <li key={l.sku} className="cartline">
            <span>
              <strong>{l.name}</strong> <span className="muted">{l.size} · {l.color} · {l.sku}</span>
            </span>
            <input
              type="number"
              min={1}
              aria-label={t('cart.qty', { name: l.name })}
              value={l.qty}
              onChange={(e) => cart.setQty(l.sku, Number(e.target.value))}
            />
            <span className="price">{money(times(l.unitPrice, l.qty))}</span>
            <button type="button" className="secondary" aria-label={t('cart.remove', { name: l.name })} onClick={() => cart.remove(l.sku)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <p className="total">
        {t('cart.total')}: <strong>{money(total)}</strong>
      </p>
      {cart.customerName ? (
        <p>{t('cart.customer', { name: cart.customerName })}</p>
      ) : (
        <button type="button" className="secondary" onClick={() => setCustomerQuery('')}>
          {t('cart.addCustomer')}
        </button>
      )}
      {customerQuery !== null && !cart.customerName && (
        <div className="card">
          <input type="search" aria-label={t('customers.search')} value={customerQuery} onChange={(e) => setCustomerQuery(e.target.value)} autoFocus />
          <ul className="list">
            {matches?.map((c) => (
              <li key={c.id}>
                <button type="button" className="link" onClick={() => cart.setCustomer(c.id, `${c.firstName} ${c.lastName}`)}>
                  {c.firstName} {c.lastName} <span className="muted">{c.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <fieldset role="radiogroup" aria-label={t('cart.fulfillment')}>
        <legend>{t('cart.fulfillment')}</legend>
        <label>
          <input type="radio" name="fulfillment" defaultChecked /> {t('cart.takeNow')}
        </label>
        <label>
          <input type="radio" name="fulfillment" disabled /> {t('cart.shipHome')}
        </label>
        <label>
          <input type="radio" name="fulfillment" disabled /> {t('cart.shipStore')}
        </label>
        <label>
          <input type="radio" name="fulfillment" disabled /> {t('cart.pickupOther')}
        </label>
        <p className="muted">{t('cart.laterOrders')}</p>
      </fieldset>
      {stage.kind === 'cart' && (
        <button type="button" disabled={cart.lines.length === 0} onClick={() => setStage({ kind: 'pay' })}>
          {t('cart.checkout')}
        </button>
      )}
      {stage.kind === 'pay' && cart.lines.length > 0 && (
        <form className="card form" onSubmit={(e) => void complete(e)}>
          <h2>{t('pay.title')}</h2>
          <p>{t('pay.due', { amount: money(total) })}</p>
          <div className="tenders">
            <button type="button" aria-pressed="true">
              {t('pay.cash')}
            </button>
            <button type="button" disabled title={t('pay.notCash')}>
              {t('pay.card')}
            </button>
            <button type="button" disabled title={t('pay.notCash')}>
              {t('pay.storeCredit')}
            </button>
            <button type="button" disabled title={t('pay.notCash')}>
              {t('pay.loyalty')}
            </button>
          </div>
          <label>
            {t('pay.amount')}
            <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder={(total / 100).toFixed(2)} />
          </label>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit">{t('pay.complete')}</button>
        </form>
      )}
    </section>
  );
}
