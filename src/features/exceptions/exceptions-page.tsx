// The manager's exceptions [EX1]: every alarm the chain raised, in words (what happened, who, when,
// what to do), identical alarms counted instead of repeated, this store's queue and the chain's
// [O2]. Resolving is the `exception.resolve` command (it works offline): a group resolves each of
// its alarms with the same note.
import { useState, type FormEvent } from 'react';
import { useServices } from '@/state/services';
import { useSession, can } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { useT, useLocale, formatTime } from '@/i18n';
import { dispatch } from '@/db/dispatch';
import { useExceptions, type ExceptionsData } from '@/db/hooks/exceptions';
import { exceptionResolve } from '@/core/exceptions/exception-resolve';
import { exceptionWords, groupExceptions, type ExceptionGroup } from './exception-words';
import './exceptions.css';

function ExceptionItem({ g, data }: { g: ExceptionGroup; data: ExceptionsData }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const saveError = useSaveError();
  const who = useSession((s) => s.who);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const w = exceptionWords(t, g.latest, { locale, ...data });
  const titleId = `exception-${g.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;

  async function resolve(ev: FormEvent) {
    ev.preventDefault();
    if (!who || busy) return;
    setError(null);
    setBusy(true);
    try {
      for (const e of g.members) await dispatch(db, who.id, exceptionResolve, { exceptionId: e.id, storeId: e.storeId, note });
    } catch (err) {
      setError(saveError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="card exception" aria-labelledby={titleId}>
      <div className="exception-head">
        <strong id={titleId}>{w.title}</strong>
        {g.count > 1 && (
          <span className="exception-count" aria-label={t('exceptions.timesLong', { n: g.count, when: formatTime(locale, g.lastAt) })}>
            ×{g.count}
          </span>
        )}
        <span className="muted">
          {w.who} · {w.when}
        </span>
      </div>
      <p>{w.what}</p>
      {g.count > 1 && <p className="muted">{t('exceptions.timesLong', { n: g.count, when: formatTime(locale, g.lastAt) })}</p>}
      <p className="exception-todo">{t('exceptions.todo', { todo: w.todo })}</p>
      <form className="inline" onSubmit={(ev) => void resolve(ev)}>
        <label>
          {t('exceptions.note')}
          <input value={note} onChange={(ev) => setNote(ev.target.value)} maxLength={500} />
        </label>
        <button type="submit" disabled={busy}>
          {t('exceptions.resolve')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </li>
  );
}

function Queue({ title, groups, data, none }: { title: string; groups: ExceptionGroup[]; data: ExceptionsData; none: string }) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {groups.length === 0 && <p className="muted">{none}</p>}
      <ul className="list">
        {groups.map((g) => (
          <ExceptionItem key={g.key} g={g} data={data} />
        ))}
      </ul>
    </section>
  );
}

export function ExceptionsPage() {
  const t = useT();
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const data = useExceptions(db);
  if (!can(who?.role, 'manager')) return <p>{t('managerOnly')}</p>;
  return (
    <section className="exceptions">
      <h1>{t('exceptions.title')}</h1>
      {data && (
        <>
          <Queue title={t('exceptions.storeQueue')} groups={groupExceptions(data.store)} data={data} none={t('exceptions.none')} />
          <Queue title={t('exceptions.chainQueue')} groups={groupExceptions(data.chain)} data={data} none={t('exceptions.chainNone')} />
        </>
      )}
    </section>
  );
}
