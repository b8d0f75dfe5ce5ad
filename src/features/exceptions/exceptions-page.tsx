// The manager's exceptions: oversold stock, rejected commands, sync alarms… newest first; each is
// resolved with a note, and the resolution is a command like any other (it works offline).
import { useState, type FormEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useSession, can } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { useT, useLocale, formatTime, byCode } from '@/i18n';
import { decodeHlc } from '@/core/shared/hlc';
import { dispatch } from '@/db/dispatch';
import type { ExceptionRow } from '@/core/model';
import { exceptionResolve } from '@/core/exceptions/exception-resolve';

function ExceptionItem({ e }: { e: ExceptionRow }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const saveError = useSaveError();
  const who = useSession((s) => s.who);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function resolve(ev: FormEvent) {
    ev.preventDefault();
    if (!who) return;
    setError(null);
    try {
      await dispatch(db, who.id, exceptionResolve, { exceptionId: e.id, storeId: e.storeId, note });
    } catch (err) {
      setError(saveError(err));
    }
  }

  return (
    <li className="card">
      <strong>{byCode(t, 'exception.kind', e.kind, e.kind)}</strong> <span className="muted">{formatTime(locale, decodeHlc(e.raisedAt).wall)}</span>
      <p>{e.message}</p>
      <form className="inline" onSubmit={(ev) => void resolve(ev)}>
        <label>
          {t('exceptions.note')}
          <input value={note} onChange={(ev) => setNote(ev.target.value)} maxLength={500} />
        </label>
        <button type="submit">{t('exceptions.resolve')}</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </li>
  );
}

export function ExceptionsPage() {
  const t = useT();
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
          <ExceptionItem key={e.id} e={e} />
        ))}
      </ul>
    </section>
  );
}
