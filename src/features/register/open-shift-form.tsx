// Opening a shift: the float counted into the drawer [SH1].
import { useState, type FormEvent } from 'react';
import { useT } from '@/i18n';
import type { Currency } from '@/core/shared/brand';
import { MoneyField } from './money-field';
import type { Outcome } from './use-register-actions';

export function OpenShiftForm({ currency, open }: { currency: Currency; open: (float: string) => Promise<Outcome> }) {
  const t = useT();
  const [float, setFloat] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await open(float);
    setError(r.ok ? null : r.error);
    if (r.ok) setFloat('');
  }
  return (
    <form className="card register-open" onSubmit={(e) => void submit(e)}>
      <p>{t('register.none')}</p>
      <div className="inline">
        <MoneyField label={t('register.float')} value={float} onChange={setFloat} currency={currency} />
        <button type="submit">{t('register.open')}</button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
