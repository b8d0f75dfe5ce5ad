// [EX2] Today, for the store's managers: sales by channel and by tender, pickup orders ready on time,
// and each tablet's last sync and unsent commands — small SVG charts (decision 52) from what this
// tablet holds, so it reads offline too.
import { useEffect, useState } from 'react';
import { useServices } from '@/state/services';
import { useSession, can } from '@/state/session';
import { useT, useLocale, formatAge, type T } from '@/i18n';
import { useToday, type TodayData } from '@/db/hooks/today';
import { formatMoney } from '@/core/shared/money';
import type { TabletFigure } from '@/core/today/today-figures';
import { BarChart } from '@/components/bar-chart';
import './today.css';

const STALE_MS = 15 * 60_000;

function useNow(periodMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(id);
  }, [periodMs]);
  return now;
}

function PickupGauge({ data, t }: { data: TodayData; t: T }) {
  const { onTime, late, pct } = data.pickup;
  const r = 42;
  const c = 2 * Math.PI * r;
  return (
    <figure className="today-pickup" aria-label={t('today.pickup')} role="figure">
      <figcaption>{t('today.pickup')}</figcaption>
      {pct === null ? (
        <p className="muted">{t('today.pickupNone')}</p>
      ) : (
        <div className="today-gauge">
          <svg viewBox="0 0 100 100" width="120" height="120" aria-hidden="true">
            <circle cx="50" cy="50" r={r} className="gauge-track" />
            {pct > 0 && <circle cx="50" cy="50" r={r} className="gauge-fill" strokeDasharray={`${(c * pct) / 100} ${c}`} transform="rotate(-90 50 50)" />}
            <text x="50" y="50" textAnchor="middle" dominantBaseline="middle" className="gauge-text">
              {pct}%
            </text>
          </svg>
          <p>{t('today.pickupOf', { onTime, total: onTime + late })}</p>
        </div>
      )}
    </figure>
  );
}

function TabletsTable({ tablets, now, t }: { tablets: TabletFigure[]; now: number; t: T }) {
  return (
    <figure className="today-tablets" aria-label={t('today.tablets')} role="figure">
      <figcaption>{t('today.tablets')}</figcaption>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('today.tablet')}</th>
            <th scope="col">{t('today.lastSync')}</th>
            <th scope="col">{t('today.unsent')}</th>
          </tr>
        </thead>
        <tbody>
          {tablets.map((d) => {
            const stale = d.lastSyncAt === null || now - d.lastSyncAt > STALE_MS;
            const name = `${d.name} (${d.deviceCode})`;
            return (
              <tr key={d.id} className={stale ? 'stale' : undefined}>
                <th scope="row">{d.self ? t('today.thisTablet', { name }) : name}</th>
                <td>
                  {d.lastSyncAt === null ? t('today.never') : formatAge(t, d.lastSyncAt, now)}
                  {stale && <div className="warn-text">{t('today.stale')}</div>}
                </td>
                <td>
                  <span className={d.unsent > 0 ? 'unsent-count pending' : 'unsent-count'}>{d.unsent}</span>
                  {d.unsent > 0 && d.oldestUnsentAt !== null && <span className="muted"> · {t('today.oldest', { age: formatAge(t, d.oldestUnsentAt, now) })}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}

export function TodayPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const now = useNow();
  const data = useToday(db, now);
  if (!can(who?.role, 'manager')) return <p>{t('managerOnly')}</p>;
  if (!data) return <h1>{t('today.title')}</h1>;
  const money = (n: number) => formatMoney(n, data.currency, locale);
  const self = data.tablets.find((d) => d.self);
  return (
    <section className="today">
      <h1>{t('today.title')}</h1>
      <p className="today-total">{t('today.total', { amount: money(data.total) })}</p>
      <div className="today-grid">
        <BarChart
          label={t('today.byChannel')}
          empty={t('today.noSales')}
          data={data.byChannel.map((b) => ({ key: b.key, label: t(`today.channel.${b.key}`), value: b.amount, text: `${money(b.amount)} · ${b.count}` }))}
        />
        <BarChart
          label={t('today.byTender')}
          empty={t('today.noSales')}
          data={data.byTender.map((b) => ({ key: b.key, label: t(`today.tender.${b.key}`), value: Math.max(0, b.amount), text: money(b.amount) }))}
        />
        <PickupGauge data={data} t={t} />
        <TabletsTable tablets={data.tablets} now={now} t={t} />
      </div>
      <p className="muted">{t('today.asOf', { age: self?.lastSyncAt ? formatAge(t, self.lastSyncAt, now) : t('today.never') })}</p>
    </section>
  );
}
