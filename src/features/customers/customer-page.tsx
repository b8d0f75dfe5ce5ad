// A customer's profile [CL1]: view mode with editing on demand, consents, tags, notes, purchase
// history across channels, suggestions and wishlist; or the form for a new customer [CL3].
import { useState, type FormEvent } from 'react';
import { useCustomerCommand } from './use-customer-command';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useT, useLocale, formatTime, type MessageKey } from '@/i18n';
import { useCustomerProfile, useThisStore } from '@/db/hooks/customers';
import { formatMoney } from '@/core/shared/money';
import { decodeHlc } from '@/core/shared/hlc';
import { members } from '@/core/customers/sets';
import { CONTACT_TAG } from '@/core/orders/order-source';
import type { CustomerRow } from '@/core/model';
import type { Currency } from '@/core/shared/brand';
import { customerUpdate, type CustomerUpdatePayload } from '@/core/customers/customer-update';
import { noteAdd, type NoteAddPayload } from '@/core/customers/note-add';
import { NewCustomerForm, ProfileForm } from './customer-form';
import { PurchaseHistory } from './purchase-history';
import { Suggestions } from './suggestions';
import { Wishlist } from './wishlist';
import { Consents } from './consents';
import { MergePanel } from './merge-panel';
import { useSession, can } from '@/state/session';
import { customerMerge } from '@/core/customers/customer-merge';
import { useServices } from '@/state/services';
import { usePendingTenders } from '@/db/hooks/use-pending-tenders';
import { EraseCustomer } from './erase-customer';
import { PointsSection } from './points-section';

export function CustomerPage() {
  const { id = 'new' } = useParams();
  return id === 'new' ? <NewCustomerForm /> : <Profile id={id} />;
}

function Profile({ id }: { id: string }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const store = useThisStore();
  const navigate = useNavigate();
  const { customer, history, notes, wishlist, loaded, redirectTo, erased } = useCustomerProfile(id, store?.id);
  const [eraseSent, setEraseSent] = useState(false);
  const manager = useSession((s) => can(s.who?.role, 'manager'));
  const [merging, setMerging] = useState(false);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [note, setNote] = useState('');
  const [tag, setTag] = useState('');
  const { run, error } = useCustomerCommand();
  const { db } = useServices();
  const pending = usePendingTenders(db);

  if (!loaded) return null;
  // [CL4] A profile merged into another: show the survivor.
  if (!customer && redirectTo) return <Navigate to={`/customers/${encodeURIComponent(redirectTo)}`} replace />;
  if (!customer) {
    return (
      <section>
        <h1>{t('customers.title')}</h1>
        {/* [CL6] Erased at the customer's request: said so, without anything about them. */}
        <p>{erased ? t('customers.erased') : t('customers.none', { query: id })}</p>
        <button type="button" onClick={() => navigate('/customers')}>
          {t('customers.search')}
        </button>
      </section>
    );
  }
  const currency = (store?.currency ?? 'EUR') as Currency;
  const update = (payload: Omit<CustomerUpdatePayload, 'customerId'>) => run(customerUpdate, { customerId: id, ...payload });

  async function addNote(e: FormEvent) {
    e.preventDefault();
    if (await run(noteAdd, (a): NoteAddPayload => ({ noteId: a.newId(), customerId: id, text: note }))) setNote('');
  }
  async function addTag(e: FormEvent) {
    e.preventDefault();
    if (await update({ tags: { add: [tag.trim()] } })) setTag('');
  }

  return (
    <section className="profile">
      <h1>
        {customer.firstName} {customer.lastName}
      </h1>
      <p className="facts">
        {/* [LO1] Points earned by sales the server has not confirmed show apart, as pending. */}
        <span>{t('customers.points', { points: customer.points - (pending?.earned.get(customer.id) ?? 0) })}</span>
        <span>{t('customers.storeCredit', { amount: formatMoney(customer.storeCredit, currency, locale) })}</span>
        <span>{t('customers.tier', { tier: t(`customers.tier.${customer.tier || 'none'}` as MessageKey) })}</span>
        <span>{t('customers.lifetime', { amount: formatMoney(customer.lifetimeSpend, currency, locale) })}</span>
        {(pending?.earned.get(customer.id) ?? 0) > 0 && <span className="muted">{t('loyalty.pendingEarned', { points: pending!.earned.get(customer.id)! })}</span>}
        {(pending?.redeemed.get(customer.id) ?? 0) > 0 && <span className="muted">{t('loyalty.pendingRedeemed', { points: pending!.redeemed.get(customer.id)! })}</span>}
        <span className="muted">{t('customers.since', { date: new Date(customer.createdAt).toLocaleDateString(locale) })}</span>
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {saved && !editing && <p role="status">{t('customers.saved')}</p>}
      {editing ? (
        <ProfileForm
          customer={customer}
          country={store?.country ?? ''}
          onDone={(didSave) => {
            setEditing(false);
            setSaved(didSave);
          }}
        />
      ) : (
        <ProfileView customer={customer} onEdit={() => setEditing(true)} />
      )}
      <Consents customer={customer} onChange={(consents) => void update({ consents })} />
      {manager && !merging && (
        <button type="button" className="secondary" onClick={() => setMerging(true)}>
          {t('customers.merge')}
        </button>
      )}
      {manager && <EraseCustomer customerId={customer.id} name={`${customer.firstName} ${customer.lastName}`} run={run} onErased={() => setEraseSent(true)} />}
      {eraseSent && <p role="status">{t('customers.eraseRequested')}</p>}
      {merging && (
        <MergePanel
          survivorId={id}
          survivorName={`${customer.firstName} ${customer.lastName}`}
          onMerge={async (mergedId) => {
            const ok = await run(customerMerge, { survivorId: id, mergedId });
            setSaved(ok);
            return ok;
          }}
          onClose={() => setMerging(false)}
        />
      )}

      {/* [LO2] Points: the next expiry, adjustments with a manager's approval, and their history. */}
      <PointsSection customer={customer} history={history} balance={customer.points - (pending?.earned.get(customer.id) ?? 0)} run={run} />

      <h2>{t('customers.tags')}</h2>
      {members(customer.tags).length === 0 && <p className="muted">{t('customers.noTags')}</p>}
      <ul className="chips">
        {members(customer.tags).map((m) => (
          <li key={m}>
            {/* [OR2] The tag sourcing sets when an order could not be found anywhere: said in words. */}
            {m === CONTACT_TAG ? <strong>{t('order.contactTag')}</strong> : m}{' '}
            <button type="button" className="secondary" aria-label={t('customers.removeTag', { tag: m })} onClick={() => void update({ tags: { remove: [m] } })}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="inline" onSubmit={(e) => void addTag(e)}>
        <label>
          {t('customers.tag')}
          <input value={tag} onChange={(e) => setTag(e.target.value)} maxLength={60} />
        </label>
        <button type="submit" disabled={!tag.trim()}>
          {t('customers.addTag')}
        </button>
      </form>

      <div className="columns">
        <PurchaseHistory history={history} />
        <div>
          <Suggestions customer={customer} history={history} storeId={store?.id} onWish={(sku) => void update({ wishlist: { add: [sku] } })} />
          <Wishlist items={wishlist} onAdd={(sku) => update({ wishlist: { add: [sku] } })} onRemove={(sku) => void update({ wishlist: { remove: [sku] } })} />
        </div>
      </div>

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
      {notes.length === 0 && <p className="muted">{t('customers.noNotes')}</p>}
      <ul className="list">
        {notes.map((n) => (
          <li key={n.id}>
            <p>{n.text}</p>
            <small className="muted">{t('customers.noteBy', { name: n.authorName, time: formatTime(locale, decodeHlc(n.at).wall) })}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The profile's details, read-only, with the button that turns on editing. */
function ProfileView({ customer, onEdit }: { customer: CustomerRow; onEdit: () => void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const address = customer.addresses?.[0];
  const sizes = Object.entries(customer.sizes ?? {});
  const rows: [MessageKey, string][] = [
    ['customers.email', customer.email],
    ['customers.phone', customer.phone],
    ['customers.birthday', customer.birthday ? new Date(`${customer.birthday}T12:00:00Z`).toLocaleDateString(locale, { day: 'numeric', month: 'long', year: 'numeric' }) : ''],
    ['customers.address', address ? [address.street, `${address.postalCode} ${address.city}`.trim(), address.country].filter(Boolean).join(', ') : ''],
    ['customers.sizes', sizes.map(([k, v]) => `${k} ${v}`).join(', ')],
    ['customers.brands', (customer.favoriteBrands ?? []).join(', ')],
    ['customers.colors', (customer.favoriteColors ?? []).join(', ')],
  ];
  return (
    <div className="card">
      <dl className="details">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{t(k)}</dt>
            <dd>{v || '—'}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onEdit}>
        {t('customers.edit')}
      </button>
    </div>
  );
}
