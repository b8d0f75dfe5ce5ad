// "Needs attention": commands the server rejected, with the reason and what to do [C4].
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useT, byCode } from '@/i18n';

export function AttentionPage() {
  const t = useT();
  const { db } = useServices();
  const items = useLiveQuery(() => db.attention.orderBy('seq').reverse().toArray(), [db]);
  return (
    <section>
      <h1>{t('attention.title')}</h1>
      {items?.length === 0 && <p>{t('attention.none')}</p>}
      <ul className="list">
        {items?.map((a) => (
          <li key={a.seq} className="card">
            <strong>
              {a.command.type} #{a.seq}
            </strong>
            <p>{byCode(t, 'error', a.error.code, a.error.message)}</p>
            <p className="muted">{a.error.message}</p>
            <p className="muted">{t('attention.what')}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
