// Returns [RE1]–[RE8]: find the purchase (receipt or order number, a customer's history, through the
// server when online, on the tablet offline), choose lines, quantities, reasons and conditions, see
// where every cent goes, get a manager's approval where policy needs one, refund, and print or
// e-mail the return receipt. The return in progress survives a reload.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { paymentTerminal, TERMINAL_TIMEOUT_MS } from '@/state/payment-terminal';
import { verifyManagerPin } from '@/state/pin-auth';
import { useT, useLocale, formatTime, type MessageKey } from '@/i18n';
import { Button } from '@/components/button';
import { ManagerPinDialog } from '@/components/manager-pin-dialog';
import { ReceiptToolbar } from '@/components/receipt-toolbar';
import { Barcode } from '@/components/barcode';
import { dispatch } from '@/db/dispatch';
import { loadReturnDraft, saveReturnDraft } from '@/db/return-store';
import { findItem, findLocalPurchase, noReceiptPriceOf, offlineRefundsPending, useCustomerPurchases, useReturnRecord } from '@/db/hooks/use-returns';
import { useCustomerSearch } from '@/db/hooks/use-customer-search';
import { useDeviceId, useStoreLocation } from '@/db/hooks/use-store-location';
import { useOpenShift } from '@/db/hooks/use-shift';
import { SyncHttpError } from '@/sync/transport';
import { formatMoney } from '@/core/shared/money';
import { uuidv7 } from '@/core/shared/ids';
import { decodeHlc } from '@/core/shared/hlc';
import { RETURN_REASONS, type LocationRow, type Refund } from '@/core/model';
import type { Currency, Minor } from '@/core/shared/brand';
import { returnCreate, returnSubject, type ReturnCreatePayload } from '@/core/returns/return-create';
import { returnEmail } from '@/core/returns/return-email';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';
import { priceCart } from '@/core/pricing/price-cart';
import type { LookedUpPurchase } from '@/core/returns/return-math';
import { RETURNS, offlineLimitBreach } from '@/core/returns/returns-config';
import { figures, linesOf, returnableOf, refundOf, type DraftLine, type ReturnDraft } from './draft';

const newId = () => uuidv7(Date.now(), (n) => crypto.getRandomValues(new Uint8Array(n)));
/** [T3] The tablet has no connection (the browser says so). */
const isOffline = () => typeof navigator !== 'undefined' && !navigator.onLine;

const fresh = (): ReturnDraft => ({ returnId: newId(), mode: 'receipt', lines: [], refundTo: 'original' });

export function ReturnsPage() {
  const t = useT();
  const { db } = useServices();
  const store = useStoreLocation(db);
  const [draft, setDraftState] = useState<ReturnDraft | null>(null);

  // [SE1]-like durability: the draft is read once, then written through on every change.
  useEffect(() => {
    void loadReturnDraft(db).then((d) => setDraftState((d as ReturnDraft | undefined) ?? fresh()));
  }, [db]);
  const setDraft = (next: ReturnDraft) => {
    setDraftState(next);
    void saveReturnDraft(db, next);
  };

  if (!draft || !store) return <section><h1>{t('returns.title')}</h1></section>;
  if (draft.done) return <ReturnDone draft={draft} onNew={() => setDraft(fresh())} />;
  return (
    <section className="returns">
      <h1>{t('returns.title')}</h1>
      <FindPurchase draft={draft} setDraft={setDraft} />
      {(draft.found || draft.mode !== 'receipt') && <ReturnForm draft={draft} store={store} setDraft={setDraft} />}
    </section>
  );
}

function FindPurchase({ draft, setDraft }: { draft: ReturnDraft; setDraft: (d: ReturnDraft) => void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db, engine } = useServices();
  const [number, setNumber] = useState(draft.found?.purchase.number ?? draft.unseenNumber ?? '');
  const [problem, setProblem] = useState<{ text: string; unseen?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const purchases = useCustomerPurchases(db, customer?.id);

  async function find(raw: string) {
    const n = raw.trim().toUpperCase().replace(/\s+/g, '');
    setProblem(null);
    if (!/^[A-Z0-9-]{1,40}$/.test(n)) return setProblem({ text: t('returns.badNumber') });
    setBusy(true);
    let found: LookedUpPurchase | null = null;
    let source: 'server' | 'local' = 'local';
    let reachable = false;
    try {
      found = await engine.get<LookedUpPurchase>(`/api/v1/returns/lookup?number=${encodeURIComponent(n)}`);
      source = 'server';
      reachable = true;
    } catch (e) {
      if (e instanceof SyncHttpError && e.status === 404) reachable = true;
      else if (!(e instanceof SyncHttpError && e.status === 0)) reachable = e instanceof SyncHttpError && e.status < 500;
    }
    // The tablet's own knowledge: the purchase offline, and its pending returns online too [RE3].
    const local = await findLocalPurchase(db, n);
    if (!found) found = local;
    else if (local) found = { ...found, purchase: { ...found.purchase, lines: found.purchase.lines.map((l, i) => ({ ...l, returned: Math.max(l.returned, local.purchase.lines[i]?.returned ?? 0), returnable: Math.min(l.returnable, local.purchase.lines[i]?.returnable ?? l.returnable) })) } };
    setBusy(false);
    if (!found) {
      // [RE7] A web order this tablet never saw, with the server out of reach: it can be taken back unverified.
      if (!reachable && /^W[0-9A-Z]{5,8}$/.test(n)) return setProblem({ text: t('returns.notHereOffline', { number: n }), unseen: n });
      return setProblem({ text: reachable ? t('returns.notFoundAnywhere', { number: n }) : t('returns.notFound', { number: n }) });
    }
    const customerName = found.purchase.customerName;
    // The purchase's customer when they have a profile (a web shopper may have none: then the cashier picks one for store credit).
    setDraft({ ...fresh(), mode: 'receipt', found, source, lines: linesOf(found), ...(found.purchase.customerId && customerName ? { customer: { id: found.purchase.customerId, name: customerName } } : {}) });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void find(number);
  }

  return (
    <div className="card no-print">
      <form onSubmit={submit} className="inline">
        <label>
          {t('returns.lookup')}
          <input value={number} onChange={(e) => setNumber(e.target.value)} autoCapitalize="characters" />
        </label>
        <Button type="submit" disabled={busy}>
          {t('returns.find')}
        </Button>
        <Button variant="secondary" onClick={() => setDraft({ ...fresh(), mode: 'no-receipt', refundTo: 'store-credit' })}>
          {t('returns.noReceipt')}
        </Button>
      </form>
      {problem && (
        <div role="alert">
          <p className="error">{problem.text}</p>
          {problem.unseen && (
            <Button variant="secondary" onClick={() => setDraft({ ...fresh(), mode: 'unseen', unseenNumber: problem.unseen!, refundTo: 'store-credit' })}>
              {t('returns.takeUnseen')}
            </Button>
          )}
        </div>
      )}
      <details>
        <summary>{t('returns.fromHistory')}</summary>
        <CustomerPicker onPick={setCustomer} />
        {customer && (
          <ul className="list" aria-label={t('returns.purchasesOf', { name: customer.name })}>
            {purchases.length === 0 && <li className="muted">{t('returns.noPurchases')}</li>}
            {purchases.map((p) => (
              <li key={p.id}>
                <Button
                  variant="link"
                  onClick={() => {
                    setNumber(p.number);
                    void find(p.number);
                  }}
                >
                  {p.number} · {formatTime(locale, p.at)} · {formatMoney(p.total, p.currency, locale)}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}

function CustomerPicker({ onPick }: { onPick: (c: { id: string; name: string }) => void }) {
  const t = useT();
  const { db } = useServices();
  const [q, setQ] = useState('');
  const hits = useCustomerSearch(db, q, 6);
  return (
    <div>
      <input type="search" aria-label={t('customers.search')} placeholder={t('customers.search')} value={q} onChange={(e) => setQ(e.target.value)} />
      <ul className="list">
        {hits.map((c) => (
          <li key={c.id}>
            <Button
              variant="link"
              onClick={() => {
                onPick({ id: c.id, name: `${c.firstName} ${c.lastName}` });
                setQ('');
              }}
            >
              {c.firstName} {c.lastName} · {c.email || c.phone}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const CONDITIONS = [
  ['restock', 'returns.condition.restock'],
  ['damaged', 'returns.condition.damaged'],
  ['return-to-vendor', 'returns.condition.return-to-vendor'],
] as const;

function ReturnForm({ draft, store, setDraft }: { draft: ReturnDraft; store: LocationRow; setDraft: (d: ReturnDraft) => void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const saveError = useSaveError();
  const deviceId = useDeviceId(db);
  const shift = useOpenShift(db, deviceId);
  const [code, setCode] = useState('');
  const [exCode, setExCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const busyRef = useRef(false);
  const money = (m: number) => formatMoney(m, store.currency, locale);

  const exchangeTotal = draft.exchange?.length
    ? priceCart({ taxMode: store.taxMode, lines: draft.exchange.map((x) => ({ qty: 1, unitPrice: x.price as Minor, taxRate: store.taxRates[x.taxClass] ?? 0 })) }).total
    : 0;
  const f = figures(draft, Date.now(), exchangeTotal);
  const update = (i: number, patch: Partial<DraftLine>) => setDraft({ ...draft, lines: draft.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const view = draft.found?.purchase;

  async function addItem(e: FormEvent, exchange: boolean) {
    e.preventDefault();
    const c = (exchange ? exCode : code).trim();
    const item = c ? await findItem(db, c, store.currency) : null;
    if (!item) return setError(t('returns.unknownItem', { code: c }));
    setError(null);
    if (exchange) {
      setExCode('');
      setDraft({ ...draft, exchange: [...(draft.exchange ?? []), { sku: item.sku, name: item.name, price: item.price, taxClass: item.taxClass }] });
    } else {
      // [RE1] Without a purchase: the lowest price it sold for in the window, or today's.
      const quote = await noReceiptPriceOf(db, item.sku, store.currency, item.price);
      setCode('');
      setDraft({ ...draft, lines: [...draft.lines, { sku: item.sku, name: item.name, price: quote.price, priceSource: quote.source, selected: true, qty: 1, disposition: 'restock', reason: '' }] });
    }
  }

  async function check(): Promise<string | null> {
    // [RO2] Taking a return back is a cashier's or a manager's.
    if (who?.role === 'associate') return t('returns.cashierOnly');
    const chosen = draft.lines.filter((l) => l.selected);
    if (chosen.length === 0) return t('returns.chooseLine');
    for (const l of chosen) {
      if (!Number.isInteger(l.qty) || l.qty < 1) return t('returns.badQty', { name: l.name });
      if (l.qty > returnableOf(l)) return t('returns.overReturn', { name: l.name, n: returnableOf(l) });
      if (!l.reason) return t('returns.chooseReason', { name: l.name });
    }
    if (refundOf(f.plan, 'store-credit') > 0 && !draft.customer) return t('returns.needCustomer');
    const cashOut = f.plan.refunds.filter((r) => r.kind === 'cash').reduce((s, r) => s + r.amount, 0);
    if ((cashOut > 0 || draft.exchange?.length) && !shift) return t('returns.needShift');
    // [T3] Offline, a return refunds at most so much in cash and to cards, and a no-receipt return is
    // worth at most so much: said before the card terminal is touched.
    if (isOffline()) {
      const moneyOut = f.plan.refunds.filter((r) => r.kind === 'cash' || r.kind === 'card').reduce((s, r) => s + r.amount, 0);
      const breach = offlineLimitBreach({ money: moneyOut, noReceipt: draft.mode === 'no-receipt', value: f.plan.value, pending: await offlineRefundsPending(db) });
      if (breach?.kind === 'device') return t('returns.offlineDeviceLimit', { left: money(breach.left ?? 0), cap: money(breach.cap) });
      if (breach) return t(breach.kind === 'money' ? 'returns.offlineMoneyLimit' : 'returns.offlineNoReceiptLimit', { cap: money(breach.cap) });
    }
    return null;
  }

  async function complete(approval = draft.approval) {
    if (busyRef.current || !who) return;
    // Taken before the first await: a second tap while the checks read the outbox does nothing.
    busyRef.current = true;
    const problem = await check().catch((e: unknown) => saveError(e));
    const stop = problem ? () => setError(problem) : f.needs.length && !approval ? () => setAsking(true) : undefined;
    if (stop) {
      busyRef.current = false;
      return stop();
    }
    setError(null);
    try {
      // [RE5] A card refund goes through the terminal first; nothing is recorded if it is declined.
      let cardRef: string | undefined;
      const card = refundOf(f.plan, 'card');
      if (card > 0) {
        setBusy(t('returns.refundingCard'));
        const r = await paymentTerminal().refund(card as Minor, store.currency, { timeoutMs: TERMINAL_TIMEOUT_MS, ...(view?.paymentRef ? { ref: view.paymentRef } : {}) });
        if (r.status !== 'approved') {
          setError(t(r.status === 'declined' ? 'returns.cardDeclined' : 'returns.cardTimeout'));
          return;
        }
        cardRef = r.ref;
      }
      setBusy(t('returns.saving'));
      const exchangeSaleId = draft.exchange?.length ? newId() : undefined;
      const paidFromRefund = exchangeTotal - f.toPay;
      const purchase: ReturnCreatePayload['purchase'] =
        draft.mode === 'receipt' && view
          ? { kind: view.kind, id: view.id, number: view.number, ...(draft.source === 'server' ? { snapshot: { storeId: view.storeId, at: view.at, currency: view.currency, ...(view.customerId ? { customerId: view.customerId } : {}), lines: view.lines.map((l) => ({ sku: l.sku, name: l.name, qty: l.qty, lineTotal: l.lineTotal })), total: view.total, paid: view.paid, ...(view.paymentRef ? { paymentRef: view.paymentRef } : {}), pointsEarned: view.pointsEarned, pointsSpent: view.pointsSpent } } : {}) }
          : draft.mode === 'unseen'
            ? { kind: 'order', number: draft.unseenNumber! }
            : undefined;
      const res = await dispatch(db, who.id, returnCreate, (a): ReturnCreatePayload => ({
        returnId: draft.returnId,
        receiptNo: a.receiptNo(),
        storeId: store.id,
        currency: store.currency,
        ...(purchase ? { purchase } : {}),
        ...(draft.customer ? { customerId: draft.customer.id } : {}),
        lines: draft.lines.filter((l) => l.selected).map((l) => ({ ...(l.line !== undefined ? { line: l.line } : l.price !== undefined ? { quoted: l.price } : {}), sku: l.sku, qty: l.qty, disposition: l.disposition, reason: l.reason as Exclude<DraftLine['reason'], ''> })),
        refundTo: draft.mode === 'receipt' ? draft.refundTo : 'store-credit',
        ...(shift ? { shiftId: shift.id } : {}),
        ...(cardRef ? { cardRef } : {}),
        ...(approval ? { approval: { by: approval.by, at: approval.at, subject: approval.subject, mac: approval.mac } } : {}),
        ...(exchangeSaleId ? { exchange: { saleId: exchangeSaleId, amount: paidFromRefund } } : {}),
        ...(isOffline() ? { offline: true } : {}),
      }));
      let exchangeReceipt: string | undefined;
      if (exchangeSaleId && draft.exchange) {
        // [RE8] The new sale: paid in cash from the refund, and in cash for what the customer adds.
        const sale = await dispatch(db, who.id, saleComplete, (a): SaleCompletePayload => ({
          saleId: exchangeSaleId,
          storeId: store.id,
          receiptNo: a.receiptNo(),
          currency: store.currency,
          ...(draft.customer ? { customerId: draft.customer.id } : {}),
          ...(shift ? { shiftId: shift.id } : {}),
          lines: draft.exchange!.map((x) => ({ sku: x.sku, qty: 1, unitPrice: x.price })),
          tenders: [{ kind: 'cash', amount: exchangeTotal }],
        }));
        exchangeReceipt = sale.effects.summary.receiptNo;
      }
      setDraft({ ...draft, done: { returnId: draft.returnId, number: res.effects.summary.number, ...(exchangeReceipt ? { exchangeReceipt } : {}) } });
    } catch (err) {
      setError(saveError(err));
    } finally {
      busyRef.current = false;
      setBusy(null);
    }
  }

  const refundLine = (r: Refund, i: number) => {
    const key: MessageKey = r.ref === 'exchange' ? 'returns.refund.exchange' : (`returns.refund.${r.kind}` as MessageKey);
    return (
      <li key={i}>
        {t(key, { amount: money(r.amount), name: draft.customer?.name ?? '' })}
        {r.ref && r.ref !== 'exchange' && r.kind !== 'cash' ? <span className="muted"> · {r.ref}</span> : null}
      </li>
    );
  };

  return (
    <div className="return-form">
      {view && (
        <div className="card">
          <h2>{t(view.kind === 'sale' ? 'returns.saleHeading' : 'returns.orderHeading', { number: view.number })}</h2>
          <p className="muted">
            {formatTime(locale, view.at)} · {view.storeId} · {formatMoney(view.total, view.currency, locale)}
            {draft.source === 'local' ? ` · ${t('returns.fromTablet')}` : ` · ${t('returns.fromServer')}`}
          </p>
          {Date.now() - view.at > RETURNS.windowDays * 86_400_000 && <p className="warning">{t('returns.outsideWindow', { days: RETURNS.windowDays })}</p>}
        </div>
      )}
      {draft.mode === 'no-receipt' && <p className="card">{t('returns.noReceiptHint', { days: RETURNS.windowDays })}</p>}
      {draft.mode === 'unseen' && <p className="card warning">{t('returns.unseenHint', { number: draft.unseenNumber ?? '' })}</p>}
      {draft.mode !== 'receipt' && (
        <form className="inline" onSubmit={(e) => void addItem(e, false)}>
          <label>
            {t('returns.itemCode')}
            <input value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          <Button type="submit">{t('returns.addItem')}</Button>
        </form>
      )}
      <ul className="list return-lines">
        {draft.lines.map((l, i) => {
          const left = returnableOf(l);
          return (
            <li key={`${l.sku}-${i}`} className="card return-line">
              {left > 0 || l.selected ? (
                <label className="check">
                  <input type="checkbox" checked={l.selected} onChange={(e) => update(i, { selected: e.target.checked })} /> {l.name} <span className="muted">({l.sku})</span>
                </label>
              ) : (
                <span>
                  {l.name} <span className="muted">({l.sku})</span>
                </span>
              )}
              {l.bought !== undefined ? (
                <span className="counts">{t('returns.counts', { bought: l.bought, returned: l.returned ?? 0, returnable: left })}</span>
              ) : (
                <span className="counts">{t(l.priceSource === 'lowest' ? 'returns.lowestPrice' : 'returns.todayPrice', { days: RETURNS.windowDays, price: money(l.price ?? 0) })}</span>
              )}
              {l.selected && (
                <span className="inline">
                  <label>
                    {t('returns.quantity')}
                    <input type="number" min={1} max={left} value={l.qty} onChange={(e) => update(i, { qty: Math.floor(Number(e.target.value)) })} style={{ width: '5rem' }} />
                  </label>
                  <label>
                    {t('returns.reason')}
                    <select value={l.reason} onChange={(e) => update(i, { reason: e.target.value as DraftLine['reason'] })}>
                      <option value="">{t('returns.chooseReasonOption')}</option>
                      {RETURN_REASONS.map((r) => (
                        <option key={r} value={r}>
                          {t(`returns.reason.${r}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('returns.condition')}
                    <select value={l.disposition} onChange={(e) => update(i, { disposition: e.target.value as DraftLine['disposition'] })}>
                      {CONDITIONS.map(([v, k]) => (
                        <option key={v} value={v}>
                          {t(k)}
                        </option>
                      ))}
                    </select>
                  </label>
                </span>
              )}
              {l.bought !== undefined && left === 0 && !l.selected && <span className="muted">{t('returns.allReturned')}</span>}
            </li>
          );
        })}
      </ul>

      <div className="card">
        <p>
          {draft.customer ? t('returns.customer', { name: draft.customer.name }) : t('returns.noCustomer')}{' '}
          {draft.customer && (
            <Button
              variant="link"
              onClick={() => {
                const { customer: _gone, ...rest } = draft;
                setDraft(rest);
              }}
            >
              {t('returns.changeCustomer')}
            </Button>
          )}
        </p>
        {!draft.customer && <CustomerPicker onPick={(c) => setDraft({ ...draft, customer: c })} />}
      </div>

      <fieldset className="card">
        <legend>{t('returns.refundTo')}</legend>
        <div role="radiogroup" aria-label={t('returns.refundTo')} className="inline">
          <label>
            <input type="radio" name="refund-to" checked={draft.mode === 'receipt' && draft.refundTo === 'original'} disabled={draft.mode !== 'receipt'} onChange={() => setDraft({ ...draft, refundTo: 'original' })} /> {t('returns.original')}
          </label>
          <label>
            <input type="radio" name="refund-to" checked={draft.mode !== 'receipt' || draft.refundTo === 'store-credit'} onChange={() => setDraft({ ...draft, refundTo: 'store-credit' })} /> {t('returns.storeCredit')}
          </label>
        </div>
        {draft.mode !== 'receipt' && <p className="muted">{t('returns.creditOnly')}</p>}
      </fieldset>

      {draft.mode === 'receipt' && (
        <details className="card" open={!!draft.exchange?.length}>
          <summary>{t('returns.exchange')}</summary>
          <form className="inline" onSubmit={(e) => void addItem(e, true)}>
            <label>
              {t('returns.newItemCode')}
              <input value={exCode} onChange={(e) => setExCode(e.target.value)} />
            </label>
            <Button type="submit">{t('returns.addNewItem')}</Button>
          </form>
          <ul className="list">
            {(draft.exchange ?? []).map((x, i) => (
              <li key={`${x.sku}-${i}`}>
                {x.name} ({x.sku}) · {money(x.price)}{' '}
                <Button variant="link" onClick={() => setDraft({ ...draft, exchange: (draft.exchange ?? []).filter((_, j) => j !== i) })}>
                  {t('returns.removeItem')}
                </Button>
              </li>
            ))}
          </ul>
        </details>
      )}

      <section className="card" aria-label={t('returns.summary')}>
        <h2>{t('returns.summary')}</h2>
        <p>{t('returns.value', { amount: money(f.value) })}</p>
        <ul className="list">{f.plan.refunds.map(refundLine)}</ul>
        {f.plan.pointsRestored > 0 && <p>{t('returns.pointsRestored', { n: f.plan.pointsRestored })}</p>}
        {f.plan.pointsReversed > 0 && <p>{t('returns.pointsReversed', { n: f.plan.pointsReversed })}</p>}
        {f.exchangeTotal > 0 && (
          <p>
            <strong>{f.toPay > 0 ? t('returns.customerPays', { amount: money(f.toPay) }) : t('returns.moneyBack', { amount: money(f.plan.refunds.filter((r) => r.ref !== 'exchange').reduce((s, r) => s + r.amount, 0)) })}</strong>
          </p>
        )}
        {f.needs.length > 0 && <p className="warning">{t('returns.needsManager', { why: f.needs.map((n) => t(`returns.needs.${n}` as MessageKey)).join(', ') })}</p>}
        {draft.approval && <p>{t('returns.approvedBy', { name: draft.approval.name ?? draft.approval.by })}</p>}
      </section>

      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {busy && <p role="status">{busy}</p>}
      <div className="inline">
        <Button onClick={() => void complete()} disabled={!!busy}>
          {t('returns.complete')}
        </Button>
        <Button variant="secondary" onClick={() => setDraft(fresh())}>
          {t('returns.cancel')}
        </Button>
      </div>
      {asking && (
        <ReturnApproval
          returnId={draft.returnId}
          why={f.needs.map((n) => t(`returns.needs.${n}` as MessageKey)).join(', ')}
          onCancel={() => setAsking(false)}
          onApproved={(a) => {
            setAsking(false);
            setDraft({ ...draft, approval: a });
            void complete(a);
          }}
        />
      )}
    </div>
  );
}

/** "Manager approval" for a return [RE1][RE2][RO3]: the proof covers exactly this return [T2]. */
function ReturnApproval({ returnId, why, onApproved, onCancel }: { returnId: string; why: string; onApproved: (a: NonNullable<ReturnDraft['approval']>) => void; onCancel: () => void }) {
  const t = useT();
  const { db } = useServices();
  return (
    <ManagerPinDialog
      what={t('returns.approvalWhy', { why })}
      onCancel={onCancel}
      check={async (pin) => {
        const r = await verifyManagerPin(db, pin, returnSubject(returnId), Date.now());
        if (!r.ok) return t('approval.wrong');
        onApproved({ ...r.approval, name: r.name });
        return null;
      }}
    />
  );
}

/** After the return: "Return <number>", the return receipt, Print, Email and New return. */
function ReturnDone({ draft, onNew }: { draft: ReturnDraft; onNew: () => void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const record = useReturnRecord(db, draft.done?.returnId);
  const done = draft.done!;

  async function send(email: string) {
    if (!who || !record) return t('pay.signedOut');
    await dispatch(db, who.id, returnEmail, { returnId: done.returnId, storeId: record.ret.storeId, email });
  }

  const r = record?.ret;
  const cur = (r?.currency ?? 'EUR') as Currency;
  const money = (m: number) => formatMoney(m, cur, locale);
  return (
    <section className="receipt">
      <h1>{t('returns.done', { number: done.number })}</h1>
      {done.exchangeReceipt && <p>{t('returns.exchangeReceipt', { number: done.exchangeReceipt })}</p>}
      <ReceiptToolbar {...(record?.customer?.email ? { defaultEmail: record.customer.email } : {})} send={send}>
        <Button onClick={onNew}>{t('returns.new')}</Button>
      </ReceiptToolbar>
      {r && (
        <article className="receipt-paper" aria-label={t('returns.receiptLabel')}>
          <div className="receipt-head">
            <strong>{record?.store?.name ?? r.storeId}</strong>
            <div>{t('returns.done', { number: r.number })}</div>
            <div>{formatTime(locale, decodeHlc(r.at).wall)} · {record?.associate?.name ?? r.actor}</div>
            {r.purchase && <div>{t('returns.forPurchase', { number: r.purchase.number })}</div>}
            {r.noReceipt && <div>{t('returns.noReceipt')}</div>}
            {r.unverified && <div>{t('returns.unverified')}</div>}
          </div>
          <table>
            <tbody>
              {r.lines.map((l, i) => (
                <tr key={i}>
                  <td>
                    {l.qty} × {l.name}
                    <br />
                    <span className="muted">
                      {t(`returns.reason.${l.reason}` as MessageKey)} · {t(`returns.condition.${l.disposition}` as MessageKey)}
                    </span>
                    {l.unitPrice !== undefined && (
                      <>
                        <br />
                        {/* [RE1] Which price a no-receipt line was taken back at, and the quote when the chain's sales gave another (decision 66). */}
                        <span className="muted">{l.quoted !== undefined ? t('returns.repriced', { price: money(l.unitPrice), quoted: money(l.quoted) }) : t(l.priceSource === 'lowest' ? 'returns.lowestPrice' : 'returns.todayPrice', { days: RETURNS.windowDays, price: money(l.unitPrice) })}</span>
                      </>
                    )}
                  </td>
                  <td className="num">{money(l.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="receipt-totals">
            <dt>{t('returns.totalLabel')}</dt>
            <dd>{money(r.total)}</dd>
            {r.refunds.map((f, i) => (
              <RefundRow key={i} r={f} money={money} name={record?.customer ? `${record.customer.firstName} ${record.customer.lastName}` : ''} />
            ))}
            {r.pointsRestored ? (
              <>
                <dt>{t('returns.pointsRestoredLabel')}</dt>
                <dd>{r.pointsRestored}</dd>
              </>
            ) : null}
            {r.pointsReversed ? (
              <>
                <dt>{t('returns.pointsReversedLabel')}</dt>
                <dd>−{r.pointsReversed}</dd>
              </>
            ) : null}
          </dl>
          {record?.customer && <p>{t('returns.creditBalance', { name: `${record.customer.firstName} ${record.customer.lastName}`, amount: money(record.customer.storeCredit) })}</p>}
          <p className="policy">{t('returns.policy', { days: RETURNS.windowDays })}</p>
          <Barcode value={r.number} />
        </article>
      )}
    </section>
  );
}

function RefundRow({ r, money, name }: { r: Refund; money: (m: number) => string; name: string }) {
  const t = useT();
  const key: MessageKey = r.ref === 'exchange' ? 'returns.refund.exchange' : (`returns.refund.${r.kind}` as MessageKey);
  const [label] = t(key, { amount: '', name }).split(':');
  return (
    <>
      <dt>{label}</dt>
      <dd>{money(r.amount)}</dd>
    </>
  );
}
