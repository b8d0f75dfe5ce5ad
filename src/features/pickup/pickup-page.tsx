// The pickup queue of web orders at this store: counts per state, overdue first.
import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useT, useLocale, formatTime } from '@/i18n';
import type { OrderRow } from '@/core/model';

type Tab = 'new' | 'picking' | 'ready' | 'overdue';

export function PickupPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const [tab, setTab] = useState<Tab>('new');
  const orders = useLiveQuery(() => db.orders.where('status').anyOf('placed', 'picking', 'ready').toArray(), [db]) ?? [];
  const now = Date.now();
  const overdue = (o: OrderRow) => o.status !== 'ready' && Date.parse(o.readyBy) < now;
  const groups: Record<Tab, OrderRow[]> = {
    new: orders.filter((o) => o.status === 'placed'),
    picking: orders.filter((o) => o.status === 'picking'),
    ready: orders.filter((o) => o.status === 'ready'),
    overdue: orders.filter(overdue),
  };
  const shown = [...groups[tab]].sort((a, b) => a.readyBy.localeCompare(b.readyBy));
  return (
    <section>
      <h1>{t('pickup.title')}</h1>
      <div role="tablist">
        {(['new', 'picking', 'ready', 'overdue'] as const).map((k) => (
          <button key={k} role="tab" aria-selected={tab === k} onClick={() => setTab(k)}>
            {t(`pickup.${k}`)} ({groups[k].length})
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {shown.length === 0 && <p>{t('pickup.empty')}</p>}
        <ul className="list">
          {shown.map((o) => (
            <li key={o.id} className={overdue(o) ? 'card overdue' : 'card'}>
              <strong>{o.number}</strong> · {o.customerName} · {t('pickup.due', { time: formatTime(locale, o.readyBy) })}
              <div className="muted">{o.lines.map((l) => `${l.qty} × ${l.name}`).join(', ')}</div>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
