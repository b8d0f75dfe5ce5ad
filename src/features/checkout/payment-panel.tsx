// Taking payment [SE2]: cash with change, card through the terminal (stored and forwarded offline
// within limits), store credit and points from the customer's balances, several tenders in one sale,
// "Void payment" while the sale is unfinished [SE4], then "Complete sale". Every refusal says why.
import { useState, type FormEvent } from 'react';
import { useServices } from '@/state/services';
import { useSession, can } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { useCart, type TakenTender } from '@/state/cart';
import { useCustomer } from '@/db/hooks/use-customer-search';
import { usePendingTenders, useServerPoints } from '@/db/hooks/use-pending-tenders';
import { useDeviceId } from '@/db/hooks/use-store-location';
import { useOpenShift } from '@/db/hooks/use-shift';
import { useT, useLocale, type MessageKey, type T } from '@/i18n';
import { remaining, settle } from '@/core/sales/tenders';
import { SELLING } from '@/core/sales/selling-config';
import { formatMoneyInput } from '@/core/shared/money-input';
import { uuidv7 } from '@/core/shared/ids';
import type { PricedCart } from '@/core/pricing/price-cart';
import type { LocationRow } from '@/core/model';
import type { Minor } from '@/core/shared/brand';
import { Button } from '@/components/button';
import { MoneyInput } from '@/components/money-input';
import { checkTender, type Refusal } from './tender-rules';
import { CardTerminal } from './card-terminal';
import { paymentTerminal } from './payment-terminal';
import { completeSale } from './complete-sale';
import { placeOrder } from './place-order';
import { useOnline } from './use-online';

const KINDS: { kind: TakenTender['kind']; label: MessageKey }[] = [
  { kind: 'cash', label: 'pay.cash' },
  { kind: 'card', label: 'pay.card' },
  { kind: 'store-credit', label: 'pay.storeCredit' },
  { kind: 'loyalty', label: 'pay.loyalty' },
];

export function refusalText(t: T, r: Refusal, money: (m: number) => string): string {
  switch (r.code) {
    case 'no-shift':
      return t('pay.noShift');
    case 'nothing-due':
      return t('pay.nothingDue');
    case 'invalid-amount':
      return t('pay.invalidAmount');
    case 'over-due':
      return t('pay.overDue', { amount: money(r.due) });
    case 'needs-customer':
      return t('pay.needsCustomer');
    case 'credit-short':
      return t('pay.creditShort', { amount: money(r.balance) });
    case 'points-short':
      return t('pay.pointsShort', { amount: money(r.max), points: r.points, balance: r.balance, pending: r.pending, cap: r.cap });
    case 'offline-card-payment':
      return t('pay.offlineCardPayment', { amount: money(r.limit) });
    case 'offline-card-device':
      return t('pay.offlineCardDevice', { amount: money(r.left) });
  }
}

export function PaymentPanel({ priced, store, money }: { priced: PricedCart; store: LocationRow; money: (m: number) => string }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const saveError = useSaveError();
  const who = useSession((s) => s.who);
  const cart = useCart();
  const customer = useCustomer(db, cart.customer?.id);
  const pending = usePendingTenders(db);
  const serverPoints = useServerPoints(db, cart.customer?.id);
  const online = useOnline();
  const shift = useOpenShift(db, useDeviceId(db));
  const [kind, setKind] = useState<TakenTender['kind']>('cash');
  const [text, setText] = useState('');
  const [amount, setAmount] = useState<Minor | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [card, setCard] = useState<{ amount: Minor; offline: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const total = priced.total;
  const due = remaining(total, cart.tenders);
  const settled = settle(total, cart.tenders);
  const change = settled.ok ? settled.change : (0 as Minor);
  const pendingRedeemed = (cart.customer && pending?.redeemed.get(cart.customer.id)) || 0;
  const deviceRedeemed = pending ? [...pending.redeemed.values()].reduce((s, x) => s + x, 0) : 0;
  const ctx = {
    due,
    taken: cart.tenders,
    customer: customer ? { storeCredit: customer.storeCredit } : null,
    serverPoints: serverPoints ?? 0,
    pendingRedeemed,
    deviceRedeemed,
    offline: !online,
    shiftOpen: !!shift,
    offlineCardPending: pending?.offlineCard ?? (0 as Minor),
    config: SELLING,
  };

  const take = (tender: Omit<TakenTender, 'id'>) => {
    cart.addTender({ ...tender, id: uuidv7(Date.now(), (n) => crypto.getRandomValues(new Uint8Array(n))) });
    setText('');
    setAmount(undefined);
    setError(null);
  };

  /** Adds the chosen tender for the typed amount (blank: what is still due). */
  function addPayment(e?: FormEvent) {
    e?.preventDefault();
    const value = text.trim() === '' ? due : amount;
    const refusal = checkTender(kind, value, ctx);
    if (refusal) return setError(refusalText(t, refusal, money));
    // [SE2] Online the terminal authorises; offline it checks the card itself and stores the payment to forward.
    if (kind === 'card') return setCard({ amount: value!, offline: !online });
    // [T3] A redemption made offline says so: the server checks it against the offline cap.
    take({ kind, amount: value!, ...(kind === 'loyalty' && !online ? { offline: true } : {}) });
  }

  async function voidPayment(tender: TakenTender) {
    setError(null);
    // [SE4] An authorised card payment is reversed at the terminal before it leaves the sale.
    if (tender.kind === 'card' && tender.ref && !tender.offline) await paymentTerminal().reverse(tender.ref);
    cart.removeTender(tender.id);
  }

  async function complete() {
    setError(null);
    if (!who) return setError(t('pay.signedOut'));
    if (!can(who.role, 'cashier')) return setError(t('pay.needsCashier'));
    let tenders = cart.tenders;
    // Nothing taken yet and cash chosen: the typed amount (or exactly what is due) is the cash given.
    if (tenders.length === 0 && kind === 'cash') {
      const value = text.trim() === '' ? due : amount;
      const refusal = checkTender('cash', value, ctx);
      if (refusal) return setError(refusalText(t, refusal, money));
      tenders = [{ id: 'cash', kind: 'cash', amount: value! }];
    }
    const s = settle(total, tenders);
    if (!s.ok) return setError(s.code === 'underpaid' ? t('pay.short', { amount: money(s.short) }) : t('pay.changeWithoutCash'));
    setBusy(true);
    try {
      const data = { ...useCart.getState(), tenders };
      // [OR1] Anything shipped or picked up later is an order, paid with the same tenders.
      const receipt = data.fulfillment === 'take-now' ? await completeSale(db, who.id, store, data, shift?.id) : await placeOrder(db, who.id, store, data, shift?.id);
      cart.completed(receipt);
    } catch (err) {
      // [D2] A full disk: nothing was written (the transaction aborted whole), the cart is untouched.
      setError(saveError(err, t('pay.storageFull')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card payment" aria-label={t('pay.title')}>
      <h2>{t('pay.title')}</h2>
      <p className="due">
        <span>{t('pay.due', { amount: money(due) })}</span>
        {change > 0 && <strong> · {t('pay.change', { amount: money(change) })}</strong>}
      </p>
      {cart.tenders.length > 0 && (
        <ul className="list tenders-taken">
          {cart.tenders.map((tender) => (
            <li key={tender.id} aria-label={t(KINDS.find((k) => k.kind === tender.kind)!.label)}>
              <span>
                {t(KINDS.find((k) => k.kind === tender.kind)!.label)} {money(tender.amount)}
                {tender.offline && <span className="muted"> · {t('pay.offlineCardTaken')}</span>}
              </span>
              <Button variant="secondary" onClick={() => void voidPayment(tender)}>
                {t('pay.void')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={addPayment}>
        <div className="tenders" role="group" aria-label={t('pay.tender')}>
          {KINDS.map((k) => (
            <Button key={k.kind} variant={kind === k.kind ? 'primary' : 'secondary'} aria-pressed={kind === k.kind} onClick={() => {
                setKind(k.kind);
                setError(null);
              }}
            >
              {t(k.label)}
            </Button>
          ))}
        </div>
        {kind === 'card' && !online && <p className="notice">{t('pay.offlineCard', { perPayment: money(SELLING.offlineCardPerPayment), left: money(Math.max(0, SELLING.offlineCardPerDevice - ctx.offlineCardPending)) })}</p>}
        {kind === 'loyalty' && cart.customer && <p className="notice">{t('pay.pointsAvailable', { points: Math.max(0, ctx.serverPoints - pendingRedeemed), pending: pendingRedeemed })}</p>}
        <div className="inline">
          <MoneyInput
            label={t('pay.amount')}
            value={text}
            currency={store.currency}
            locale={locale}
            placeholder={formatMoneyInput(due, store.currency, locale)}
            invalidMessage={t('pay.invalidAmount')}
            onChange={(v, parsed) => {
              setText(v);
              setAmount(parsed);
            }}
          />
          <Button type="submit" variant="secondary">
            {t('pay.add')}
          </Button>
        </div>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <Button className="complete" disabled={busy} onClick={() => void complete()}>
        {cart.fulfillment === 'take-now' ? (busy ? t('pay.completing') : t('pay.complete')) : busy ? t('order.placing') : t('order.place')}
      </Button>
      {card !== null && (
        <CardTerminal
          amount={card.amount}
          currency={store.currency}
          money={money}
          offline={card.offline}
          onApproved={(ref) => {
            take({ kind: 'card', amount: card.amount, ref, ...(card.offline ? { offline: true } : {}) });
            setCard(null);
          }}
          onClose={() => setCard(null)}
        />
      )}
    </section>
  );
}
