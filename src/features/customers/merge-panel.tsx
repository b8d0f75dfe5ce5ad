// Merging a duplicate into this profile [CL4] (managers): find the other profile, confirm, dispatch.
import { useState } from 'react';
import { useT } from '@/i18n';
import { useCustomerSearch } from '@/db/hooks/customers';
import type { CustomerDoc } from '@/core/customers/customer-index';

export function MergePanel({ survivorId, survivorName, onMerge, onClose }: { survivorId: string; survivorName: string; onMerge: (mergedId: string) => Promise<boolean>; onClose: () => void }) {
  const t = useT();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<CustomerDoc | null>(null);
  const { hits } = useCustomerSearch(q, 8);
  return (
    <div className="card merge">
      {picked ? (
        <>
          <p role="alert" className="warning">
            {t('customers.mergeConfirm', { other: picked.name, name: survivorName })}
          </p>
          <div className="inline">
            <button type="button" onClick={() => void onMerge(picked.id).then((ok) => ok && onClose())}>
              {t('customers.mergeDo')}
            </button>
            <button type="button" className="secondary" onClick={() => setPicked(null)}>
              {t('customers.cancel')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="muted">{t('customers.mergeHint')}</p>
          <label>
            {t('customers.mergeSearch')}
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
          </label>
          <ul className="list">
            {hits
              .filter((h) => h.id !== survivorId)
              .map((h) => (
                <li key={h.id}>
                  <button type="button" className="secondary" onClick={() => setPicked(h)}>
                    {t('customers.mergePick', { name: h.name })}
                  </button>{' '}
                  <span className="muted">
                    {h.email} {h.phone}
                  </span>
                </li>
              ))}
          </ul>
          <button type="button" className="secondary" onClick={onClose}>
            {t('customers.cancel')}
          </button>
        </>
      )}
    </div>
  );
}
