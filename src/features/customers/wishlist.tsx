// The wishlist [CL1], with what is available here now; items are added by SKU or barcode.
import { useState, type FormEvent } from 'react';
import { useT } from '@/i18n';
import { useServices } from '@/state/services';
import { findSku, type WishlistItem } from '@/db/hooks/customers';

export function Wishlist({ items, onAdd, onRemove }: { items: WishlistItem[]; onAdd: (sku: string) => Promise<boolean>; onRemove: (sku: string) => void }) {
  const t = useT();
  const { db } = useServices();
  const [code, setCode] = useState('');
  const [unknown, setUnknown] = useState<string | null>(null);

  async function add(e: FormEvent) {
    e.preventDefault();
    const found = await findSku(db, code);
    if (!found) {
      setUnknown(code.trim());
      return;
    }
    setUnknown(null);
    if (await onAdd(found.sku)) setCode('');
  }

  return (
    <section aria-label={t('customers.wishlist')}>
      <h2>{t('customers.wishlist')}</h2>
      {items.length === 0 && <p className="muted">{t('customers.wishlistEmpty')}</p>}
      <ul className="list">
        {items.map((w) => (
          <li key={w.sku}>
            {w.name} <span className="muted">{[w.size, w.color].filter(Boolean).join(' · ')}</span> · {w.here !== null && w.here > 0 ? t('customers.here', { count: w.here }) : t('customers.notHere')}{' '}
            <button type="button" className="secondary" aria-label={t('customers.wishlistRemove', { name: w.name })} onClick={() => onRemove(w.sku)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="inline" onSubmit={(e) => void add(e)}>
        <label>
          {t('customers.wishlistItem')}
          <input value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
        <button type="submit" disabled={!code.trim()}>
          {t('customers.wishlistAdd')}
        </button>
      </form>
      {unknown !== null && (
        <p role="alert" className="error">
          {t('customers.unknownItem', { code: unknown })}
        </p>
      )}
    </section>
  );
}
