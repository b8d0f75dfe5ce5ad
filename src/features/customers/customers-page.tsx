// Clienteling: find a customer offline by name, e-mail or phone [CL2], or start a new profile.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useT } from '@/i18n';
import { useCustomerSearch } from '@/db/hooks/customers';

export { CustomerPage } from './customer-page';

export function CustomersPage() {
  const t = useT();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const { hits, ready } = useCustomerSearch(q);
  const typed = q.trim().length > 0;
  return (
    <section>
      <h1>{t('customers.title')}</h1>
      <div className="inline">
        <input type="search" aria-label={t('customers.search')} placeholder={t('customers.searchHint')} value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
        <button type="button" onClick={() => navigate('/customers/new')}>
          {t('customers.new')}
        </button>
      </div>
      {typed && !ready && <p className="muted">{t('customers.preparing')}</p>}
      {typed && ready && hits.length === 0 && <p>{t('customers.none', { query: q })}</p>}
      <ul className="results">
        {hits.map((c) => (
          <li key={c.id}>
            <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.name}</Link>{' '}
            <span className="muted">
              {c.email} {c.phone}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
