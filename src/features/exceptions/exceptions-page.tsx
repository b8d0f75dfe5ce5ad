// The manager's exceptions: oversold stock, rejected commands, sync alarms… newest first.
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useSession, can } from '@/state/session';
import { useT, useLocale, formatTime } from '@/i18n';
import { decodeHlc } from '@/core/shared/hlc';

export function ExceptionsPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const items = useLiveQuery(() => db.exceptions.orderBy('raisedAt').reverse().filter((e) => !e.resolved).toArray(), [db]);
  if (!can(who?.role, 'manager')) return <p>{t('managerOnly')}</p>;
  return (
    <section>
      <h1>{t('exceptions.title')}</h1>
      {items?.length === 0 && <p>{t('exceptions.none')}</p>}
      <ul className="list">
        {items?.map((e) => (
          <li key={e.id} className="card">
            <strong>{e.kind}</strong> <span className="muted">{formatTime(locale, decodeHlc(e.raisedAt).wall)}</span>
            <p>{e.message}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
