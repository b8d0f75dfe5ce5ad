// Cash in and cash out during a shift, each with an amount and a reason from the list [SH2].
import { useState } from 'react';
import { useT, useLocale } from '@/i18n';
import { CASH_MOVE_REASONS, type CashMoveReason } from '@/core/model';
import { formatMoney } from '@/core/shared/money';
import { parseMoneyInput } from '@/core/shared/money-input';
import type { Currency } from '@/core/shared/brand';
import { MoneyField } from './money-field';
import type { Outcome } from './use-register-actions';

type Move = (kind: 'in' | 'out', amount: string, reason: CashMoveReason | '') => Promise<Outcome>;

export function CashMoveForm({ currency, move }: { currency: Currency; move: Move }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState<CashMoveReason | ''>('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  // Buttons, not a submit: Enter in the amount field must not guess a direction for the cash.
  async function act(kind: 'in' | 'out') {
    const r = await move(kind, amount, reason);
    if (!r.ok) {
      setResult({ ok: false, text: r.error });
      return;
    }
    const shown = formatMoney(parseMoneyInput(amount, currency, locale) ?? 0, currency, locale);
    setResult({ ok: true, text: t(kind === 'in' ? 'register.movedIn' : 'register.movedOut', { amount: shown }) });
    setAmount('');
    setReason('');
  }

  return (
    <form className="card" onSubmit={(e) => e.preventDefault()}>
      <h2>{t('register.drawer')}</h2>
      <div className="inline">
        <MoneyField label={t('register.amount')} value={amount} onChange={setAmount} currency={currency} />
        <label>
          {t('register.reason')}
          <select value={reason} onChange={(e) => setReason(e.target.value as CashMoveReason | '')}>
            <option value="">{t('register.pickReason')}</option>
            {CASH_MOVE_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`register.reason.${r}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="inline">
        <button type="button" onClick={() => void act('in')}>
          {t('register.cashIn')}
        </button>
        <button type="button" onClick={() => void act('out')}>
          {t('register.cashOut')}
        </button>
      </div>
      {result && (
        <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok' : 'error'}>
          {result.text}
        </p>
      )}
    </form>
  );
}
