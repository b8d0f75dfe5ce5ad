// Attaching a customer to the sale: search (accent-insensitive) or a quick new profile [SE1][CL].
import { useState, type FormEvent } from 'react';
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import { useSaveError } from '@/state/save-errors';
import { useCart } from '@/state/cart';
import { useCustomerSearch, useCustomer } from '@/db/hooks/use-customer-search';
import { usePendingTenders } from '@/db/hooks/use-pending-tenders';
import { dispatch } from '@/db/dispatch';
import { customerCreate } from '@/core/customers/customer-create';
import { Button } from '@/components/button';
import { useT } from '@/i18n';

export function CustomerAttach({ money }: { money: (m: number) => string }) {
  const t = useT();
  const { db } = useServices();
  const customer = useCart((s) => s.customer);
  const setCustomer = useCart((s) => s.setCustomer);
  const row = useCustomer(db, customer?.id);
  // [LO1] Points earned by unsent sales show apart, as on the profile.
  const pendingEarned = usePendingEarned(db, customer?.id);
  const [mode, setMode] = useState<'closed' | 'search' | 'new'>('closed');
  const [q, setQ] = useState('');
  const matches = useCustomerSearch(db, q);

  if (customer) {
    return (
      <div className="customer-chip">
        <span>{t('cart.customer', { name: customer.name })}</span>
        {row && (
          <span className="muted">
            {' '}
            · {t('customers.points', { points: row.points - pendingEarned })}
            {pendingEarned > 0 && <> ({t('loyalty.pendingEarned', { points: pendingEarned })})</>} · {t('pay.creditBalance', { amount: money(row.storeCredit) })}
          </span>
        )}
        <Button variant="secondary" onClick={() => setCustomer(null)}>
          {t('cart.removeCustomer')}
        </Button>
      </div>
    );
  }
  if (mode === 'closed') {
    return (
      <Button variant="secondary" onClick={() => setMode('search')}>
        {t('cart.addCustomer')}
      </Button>
    );
  }
  if (mode === 'new') return <QuickCreate onCancel={() => setMode('search')} />;
  return (
    <div className="card">
      <input type="search" aria-label={t('customers.search')} value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
      <ul className="list">
        {matches.map((c) => (
          <li key={c.id}>
            <Button variant="link" onClick={() => setCustomer({ id: c.id, name: `${c.firstName} ${c.lastName}`, email: c.email })}>
              {c.firstName} {c.lastName}
            </Button>{' '}
            <span className="muted">{c.email}</span>
          </li>
        ))}
      </ul>
      {q.trim().length >= 2 && matches.length === 0 && <p>{t('customers.none', { query: q })}</p>}
      <div className="inline">
        <Button variant="secondary" onClick={() => setMode('new')}>
          {t('customers.new')}
        </Button>
        <Button variant="secondary" onClick={() => setMode('closed')}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}

function QuickCreate({ onCancel }: { onCancel: () => void }) {
  const t = useT();
  const { db } = useServices();
  const who = useSession((s) => s.who);
  const saveError = useSaveError();
  const setCustomer = useCart((s) => s.setCustomer);
  const [f, setF] = useState({ firstName: '', lastName: '', email: '', phone: '' });
  const [error, setError] = useState<string | null>(null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!who) return setError(t('pay.signedOut'));
    if (!f.firstName.trim() || !f.lastName.trim()) return setError(t('cart.customerNameNeeded'));
    const changes = Object.fromEntries(Object.entries(f).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
    try {
      let id = '';
      await dispatch(db, who.id, customerCreate, (alloc) => {
        id = alloc.newId();
        return { customerId: id, profile: changes };
      });
      setCustomer({ id, name: `${f.firstName.trim()} ${f.lastName.trim()}`, email: f.email.trim() });
    } catch (err) {
      setError(saveError(err));
    }
  }

  const field = (k: keyof typeof f, label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} aria-label={label} value={f[k]} onChange={(e) => setF({ ...f, [k]: e.target.value })} />
    </label>
  );
  return (
    <form className="card form" onSubmit={(e) => void save(e)}>
      {field('firstName', t('customers.firstName'))}
      {field('lastName', t('customers.lastName'))}
      {field('email', t('customers.email'), 'email')}
      {field('phone', t('customers.phone'), 'tel')}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="inline">
        <Button type="submit">{t('customers.save')}</Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** Points this customer earned on sales this tablet has not sent yet [LO1]. */
function usePendingEarned(db: ReturnType<typeof useServices>['db'], customerId: string | undefined): number {
  const pending = usePendingTenders(db);
  return (customerId && pending?.earned.get(customerId)) || 0;
}
