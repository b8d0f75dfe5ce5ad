// Closing a shift: a manager counts the drawer [SH2][RO3]; the Z report follows on the register screen.
import { useState, type FormEvent } from 'react';
import { useT } from '@/i18n';
import type { Currency } from '@/core/shared/brand';
import { MoneyField } from './money-field';
import type { Outcome } from './use-register-actions';

export function CloseShiftForm({ currency, isManager, close }: { currency: Currency; isManager: boolean; close: (counted: string) => Promise<Outcome> }) {
  const t = useT();
  const [counted, setCounted] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await close(counted);
    setError(r.ok ? null : r.error);
  }
  return (
    <form className="card" onSubmit={(e) => void submit(e)}>
      <h2>{t('register.end')}</h2>
      {isManager ? (
        <div className="inline">
          <MoneyField label={t('register.counted')} value={counted} onChange={setCounted} currency={currency} />
          <button type="submit">{t('register.close')}</button>
        </div>
      ) : (
        <p className="muted">{t('register.closeNeedsManager')}</p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
