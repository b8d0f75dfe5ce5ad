// Clienteling: find a customer offline, create one, edit their profile (merged per field by HLC).
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useSaveError } from '@/state/save-errors';
import { useSession } from '@/state/session';
import { useT, useLocale, formatTime } from '@/i18n';
import { dispatch } from '@/db/dispatch';
import { formatMoney } from '@/core/shared/money';
import type { CustomerUpdatePayload } from '@/core/customers/customer-update';
import type { CustomerRow } from '@/core/model';
import type { NoteAddPayload } from '@/core/customers/note-add';
import { decodeHlc } from '@/core/shared/hlc';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function CustomersPage() {
  const t = useT();
  const { db } = useServices();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const results = useLiveQuery(async () => {
    const f = fold(q.trim());
    if (f.length < 2) return [];
    const digits = f.replace(/\D/g, '');
    return db.customers
      .filter((c) => fold(`${c.firstName} ${c.lastName}`).split(' ').some((w) => w.startsWith(f)) || fold(`${c.firstName} ${c.lastName}`).startsWith(f) || c.email.toLowerCase().startsWith(f) || (digits.length >= 3 && c.phone.replace(/\D/g, '').includes(digits)))
      .limit(50)
      .toArray();
  }, [db, q]);
  return (
    <section>
      <h1>{t('customers.title')}</h1>
      <input type="search" aria-label={t('customers.search')} value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
      <button type="button" onClick={() => navigate('/customers/new')}>
        {t('customers.new')}
      </button>
      {q.trim().length >= 2 && results?.length === 0 && <p>{t('customers.none', { query: q })}</p>}
      <ul className="results">
        {results?.map((c) => (
          <li key={c.id}>
            <Link to={`/customers/${encodeURIComponent(c.id)}`}>
              {c.firstName} {c.lastName}
            </Link>{' '}
            <span className="muted">
              {c.email} {c.phone}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CustomerPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const saveError = useSaveError();
  const who = useSession((s) => s.who);
  const navigate = useNavigate();
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const customer = useLiveQuery(() => (isNew ? undefined : db.customers.get(id)), [db, id]);
  const history = useLiveQuery(() => (isNew ? [] : db.sales.where('customerId').equals(id).reverse().sortBy('at')), [db, id]);
  const notes = useLiveQuery(() => (isNew ? [] : db.notes.where('customerId').equals(id).reverse().sortBy('at')), [db, id]);
  const [note, setNote] = useState('');
  const [draft, setDraft] = useState<Partial<Record<'firstName' | 'lastName' | 'email' | 'phone', string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const value = (f: 'firstName' | 'lastName' | 'email' | 'phone') => draft[f] ?? customer?.[f] ?? '';

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!who) return;
    setError(null);
    const changes = Object.fromEntries(Object.entries(draft).filter(([f, v]) => v !== (customer?.[f as keyof CustomerRow] ?? ''))) as NonNullable<CustomerUpdatePayload['changes']>;
    if (isNew && !changes.firstName && !changes.lastName) {
      setError(t('customers.firstName') + ' / ' + t('customers.lastName'));
      return;
    }
    if (Object.keys(changes).length === 0) return;
    try {
      let newId = id;
      await dispatch<CustomerUpdatePayload>(db, who.id, 'customer.update', (alloc) => {
        if (isNew) newId = alloc.newId();
        return { customerId: newId, changes };
      });
      setDraft({});
      setSaved(true);
      if (isNew) navigate(`/customers/${encodeURIComponent(newId)}`, { replace: true });
    } catch (err) {
      setError(saveError(err));
    }
  }

  async function addNote(e: FormEvent) {
    e.preventDefault();
    if (!who || isNew) return;
    setError(null);
    try {
      await dispatch<NoteAddPayload>(db, who.id, 'note.add', (alloc) => ({ noteId: alloc.newId(), customerId: id, text: note }));
      setNote('');
    } catch (err) {
      setError(saveError(err));
    }
  }

  return (
    <section>
      <h1>{isNew ? t('customers.new') : `${customer?.firstName ?? ''} ${customer?.lastName ?? ''}`}</h1>
      {customer && <p>{t('customers.points', { points: customer.points })}</p>}
      <form className="card form" onSubmit={(e) => void save(e)}>
        {(['firstName', 'lastName', 'email', 'phone'] as const).map((f) => (
          <label key={f}>
            {t(`customers.${f}`)}
            <input
              value={value(f)}
              type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'}
              onChange={(e) => {
                setSaved(false);
                setDraft({ ...draft, [f]: e.target.value });
              }}
            />
          </label>
        ))}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {saved && <p role="status">{t('customers.saved')}</p>}
        <button type="submit">{t('customers.save')}</button>
      </form>
      {!isNew && (
        <>
          <h2>{t('customers.notes')}</h2>
          <form className="inline" onSubmit={(e) => void addNote(e)}>
            <label>
              {t('customers.note')}
              <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
            </label>
            <button type="submit" disabled={!note.trim()}>
              {t('customers.addNote')}
            </button>
          </form>
          {notes?.length === 0 && <p className="muted">{t('customers.noNotes')}</p>}
          <ul className="list">
            {notes?.map((n) => (
              <li key={n.id}>
                <p>{n.text}</p>
                <small className="muted">{t('customers.noteBy', { name: n.authorName, time: formatTime(locale, decodeHlc(n.at).wall) })}</small>
              </li>
            ))}
          </ul>
        </>
      )}
      {history && history.length > 0 && (
        <>
          <h2>{t('customers.history')}</h2>
          <ul className="list">
            {history.map((s) => (
              <li key={s.id}>
                {s.receiptNo} · {formatMoney(s.total, s.currency, locale)} · {s.lines.map((l) => l.name).join(', ')}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
