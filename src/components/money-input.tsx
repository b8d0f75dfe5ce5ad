// A money field that reads and writes the active locale's format ("1.000,00" in pt-BR and it) [MO1].
import { useId } from 'react';
import type { Currency, Minor } from '@/core/shared/brand';
import { parseMoneyInput } from '@/core/shared/money-input';

export interface MoneyInputProps {
  label: string;
  value: string;
  onChange: (text: string, parsed: Minor | undefined) => void;
  currency: Currency;
  locale: string;
  placeholder?: string;
  invalidMessage?: string;
}

export function MoneyInput({ label, value, onChange, currency, locale, placeholder, invalidMessage }: MoneyInputProps) {
  const parsed = value.trim() === '' ? undefined : parseMoneyInput(value, currency, locale);
  const invalid = value.trim() !== '' && parsed === undefined;
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="decimal"
        autoComplete="off"
        value={value}
        placeholder={placeholder}
        aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.target.value, e.target.value.trim() === '' ? undefined : parseMoneyInput(e.target.value, currency, locale))}
      />
      {invalid && invalidMessage && <span className="error">{invalidMessage}</span>}
    </div>
  );
}
