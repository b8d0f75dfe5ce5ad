// The pickup queue [PQ1][PQ2][PQ3]: tabs with counts, overdue first, search; each order's lines with
// where to pick them, and its transitions as buttons. Everything is a local command: offline works.
import { useEffect, useMemo, useState } from 'react';
import { useServices } from '@/state/services';
import { useT, useLocale, formatTime, formatDuration } from '@/i18n';
import { usePickupQueue, type LineHint, type Outgoing } from '@/db/hooks/pickup-queue';
import { groupQueue, isOverdue, minutesToDue, QUEUE_TABS, type QueueTab } from '@/core/pickup/queue';
import type { OrderRow } from '@/core/model';
import { usePickupActions, type Extra, type Outcome, type Transition } from './use-pickup-actions';
import { Dialog } from '@/components/dialog';
import { useNewOrderCue } from './new-order-cue';
import './pickup.css';

/** Re-renders every 30 s so ages and the Overdue tab move on their own. */
function useNow(periodMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(id);
  }, [periodMs]);
  return now;
}

export function PickupPage() {
  const t = useT();
  const { db } = useServices();
  const data = usePickupQueue(db);
  const now = useNow();
  const [tab, setTab] = useState<QueueTab>('new');
  const [query, setQuery] = useState('');
  const act = usePickupActions(data?.storeId ?? '');
  const queue = useMemo(() => groupQueue(data?.orders ?? [], now, query, data?.outgoing.map((x) => x.order)), [data, now, query]);
  const outgoing = useMemo(() => new Map((data?.outgoing ?? []).map((x) => [x.order.id, x])), [data]);
  const fresh = useNewOrderCue(useMemo(() => data?.orders.filter((o) => o.status === 'placed'), [data]));

  return (
    <section className="pickup">
      <h1>{t('pickup.title')}</h1>
      {fresh.length > 0 && (
        <p role="status" className="pickup-cue">
          {t('pickup.arrived', { numbers: fresh.join(', ') })}
        </p>
      )}
      <div className="pickup-bar">
        <div role="tablist" aria-label={t('pickup.title')}>
          {QUEUE_TABS.map((k) => (
            <button key={k} role="tab" id={`pickup-tab-${k}`} aria-selected={tab === k} aria-controls="pickup-panel" className={tab === k ? 'tab on' : 'tab'} onClick={() => setTab(k)}>
              {t(`pickup.${k}`)} ({queue.tabs[k].length})
            </button>
          ))}
        </div>
        <input type="search" aria-label={t('pickup.search')} placeholder={t('pickup.searchHint')} value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <div role="tabpanel" id="pickup-panel" aria-labelledby={`pickup-tab-${tab}`}>
        {queue.tabs[tab].length === 0 && <p className="muted">{t('pickup.empty')}</p>}
        <ul className="list">
          {queue.tabs[tab].map((o) => {
            const send = tab === 'send' ? outgoing.get(o.id) : undefined;
            return send ? <SendCard key={o.id} send={send} /> : <OrderCard key={o.id} order={o} hints={data?.hints[o.id] ?? []} now={now} act={act} />;
          })}
        </ul>
      </div>
    </section>
  );
}

function OrderCard({ order: o, hints, now, act }: { order: OrderRow; hints: LineHint[]; now: number; act: (type: Transition, orderId: string, extra?: Extra) => Promise<Outcome> }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const [error, setError] = useState<string | null>(null);
  const [handing, setHanding] = useState(false);
  // Cancelling refunds the customer: a second tap confirms it, so a slip of the finger does not.
  const [cancelling, setCancelling] = useState(false);
  const [code, setCode] = useState('');
  const late = isOverdue(o, now);
  const mins = minutesToDue(o, now);
  // [PQ1] The line being marked short: the dialog asks whether to find it elsewhere or cancel it with a refund.
  const [shortLine, setShortLine] = useState<number | null>(null);
  // A refusal speaks of the order as it was: once the server moves it on (a line found elsewhere), it goes.
  const moved = `${o.status}|${(o.reassigned ?? []).map((r) => r.state).join()}|${(o.shortSkus ?? []).join()}`;
  useEffect(() => setError(null), [moved]);
  const run = async (type: Transition, extra?: Extra) => {
    const r = await act(type, o.id, extra);
    setError(r.ok ? null : r.error);
    if (r.ok) setHanding(false);
  };
  const short = new Set(o.shortSkus ?? []);
  const canShort = o.status === 'placed' || o.status === 'picking';
  return (
    <li className={late ? 'card pickup-order overdue' : 'card pickup-order'} aria-label={t('pickup.orderLabel', { number: o.number, name: o.customerName })}>
      <div className="pickup-head">
        <strong className="pickup-number">{o.number}</strong>
        <span>{o.customerName}</span>
        <span className={late ? 'pickup-due late' : 'pickup-due'}>
          {t('pickup.due', { time: formatTime(locale, o.readyBy) })} · {o.status === 'ready' ? t('pickup.readySince') : mins < 0 ? t('pickup.late', { d: formatDuration(locale, -mins) }) : t('pickup.left', { d: formatDuration(locale, mins) })}
        </span>
      </div>
      <ul className="pickup-lines">
        {o.lines.map((l, i) => (
          <li key={l.sku} className={short.has(l.sku) ? 'short' : undefined}>
            <span>
              {l.qty} × {l.name} <span className="muted">{l.sku}</span>
            </span>
            <span className={hints[i]?.state === 'unsourceable' ? 'pickup-line-alert' : 'muted'}>{lineWords(t, o, short.has(l.sku), hints[i])}</span>
            {canShort && !short.has(l.sku) && hints[i]?.state !== 'sourcing' && (
              <button className="secondary" aria-label={t('pickup.markShortLine', { name: l.name })} onClick={() => setShortLine(i)}>
                {t('pickup.markShort')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="pickup-actions">
        {o.status === 'placed' && <button onClick={() => void run('order.start-picking')}>{t('pickup.startPicking')}</button>}
        {(o.status === 'placed' || o.status === 'picking') && <button onClick={() => void run('order.mark-ready')}>{t('pickup.markReady')}</button>}
        {o.status === 'ready' && !handing && <button onClick={() => setHanding(true)}>{t('pickup.handOver')}</button>}
        {!cancelling && (
          <button className="secondary" onClick={() => setCancelling(true)}>
            {t('pickup.cancel')}
          </button>
        )}
      </div>
      {shortLine !== null && o.lines[shortLine] && (
        <ShortDialog
          line={o.lines[shortLine]}
          onClose={() => setShortLine(null)}
          onChoose={(resolve) => {
            const l = o.lines[shortLine]!;
            setShortLine(null);
            // `from`: where this tablet sees the line reserved, so a second tablet's same choice is harmless [PQ5].
            void run('order.mark-short', { sku: l.sku, resolve, from: hints[shortLine]?.locationId ?? o.storeId });
          }}
        />
      )}
      {cancelling && (
        <div className="pickup-handover">
          <p>{t('pickup.cancelAsk', { number: o.number })}</p>
          <button onClick={() => void run('order.cancel').then(() => setCancelling(false))}>{t('pickup.confirmCancel')}</button>
          <button className="secondary" onClick={() => setCancelling(false)}>
            {t('pickup.keep')}
          </button>
        </div>
      )}
      {handing && (
        <form
          className="pickup-handover"
          onSubmit={(e) => {
            e.preventDefault();
            void run('order.hand-over', { code });
          }}
        >
          <p>{t('pickup.checkName', { name: o.customerName })}</p>
          <label>
            {t('pickup.code')} <input value={code} onChange={(e) => setCode(e.target.value)} autoFocus autoComplete="off" />
          </label>
          <button type="submit">{t('pickup.confirmHandover')}</button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </li>
  );
}

/** What a line's second column says: refunded, being found elsewhere, found nowhere, coming from another location, or where to pick it. */
function lineWords(t: ReturnType<typeof useT>, o: OrderRow, isShort: boolean, hint: LineHint | undefined): string {
  if (isShort) return t('pickup.lineShort');
  if (!hint) return '';
  if (hint.state === 'sourcing') return t('pickup.lineSourcing');
  if (hint.state === 'unsourceable') return t('pickup.lineUnsourceable');
  // [OR3] Stock reserved at another location travels here: the pickup store waits for it.
  if (hint.locationId !== o.storeId) return t('pickup.coming', { place: hint.locationName });
  return t('pickup.hint', { place: hint.locationName, n: hint.onHand ?? '?' });
}

/** [PQ1] Mark short: find the line at another location through sourcing, or cancel it with a refund. */
function ShortDialog({ line, onChoose, onClose }: { line: OrderRow['lines'][number]; onChoose: (resolve: 'reassign' | 'cancel') => void; onClose: () => void }) {
  const t = useT();
  return (
    <Dialog label={t('pickup.shortTitle', { name: line.name })} onClose={onClose} className="pickup-short">
      <p>{t('pickup.shortQuestion', { qty: line.qty, name: line.name, sku: line.sku })}</p>
      <div className="pickup-short-actions">
        <button onClick={() => onChoose('reassign')}>{t('pickup.reassign')}</button>
        <button className="pickup-refund" onClick={() => onChoose('cancel')}>
          {t('pickup.cancelLine')}
        </button>
        <button className="secondary" onClick={onClose}>
          {t('pickup.keepLine')}
        </button>
      </div>
    </Dialog>
  );
}

/** [OR3] An order another store collects, reserved here: what to take off the shelf and send, and by when. */
function SendCard({ send }: { send: Outgoing }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const o = send.order;
  return (
    <li className="card pickup-order" aria-label={t('pickup.sendLabel', { number: o.number, name: o.customerName })}>
      <div className="pickup-head">
        <strong className="pickup-number">{o.number}</strong>
        <span>{o.customerName}</span>
        <span className="pickup-due">{t('pickup.sendTo', { place: send.toName, time: formatTime(locale, o.readyBy) })}</span>
      </div>
      <p className="muted">{t('pickup.sendWhy')}</p>
      <ul className="pickup-lines">
        {send.lines.map((l) => (
          <li key={l.sku}>
            <span>
              {l.qty} × {l.name} <span className="muted">{l.sku}</span>
            </span>
          </li>
        ))}
      </ul>
    </li>
  );
}
