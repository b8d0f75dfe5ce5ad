// A money textbox that follows the active locale [MO1]: it reads "1.000,00" in pt-BR and it, and
// tidies what was typed into that form when the field is left.
import { useId } from 'react';
import { useLocale } from '@/i18n';
import { formatMoneyInput, parseMoneyInput } from '@/core/shared/money-input';
import type { Currency } from '@/core/shared/brand';

export function MoneyField({ label, value, onChange, currency }: { label: string; value: string; onChange: (text: string) => void; currency: Currency }) {
  const locale = useLocale((s) => s.locale);
  const id = useId();
  return (
    <label htmlFor={id}>
      {label}
      <input
        id={id}
        className="money"
        inputMode="decimal"
        autoComplete="off"
        placeholder={formatMoneyInput(0, currency, locale)}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => {
          const m = parseMoneyInput(value, currency, locale);
          if (m !== undefined) onChange(formatMoneyInput(m, currency, locale));
        }}
      />
    </label>
  );
}
