// A PIN field with an on-screen pad for tablets: digits typed or tapped, never shown.
import { useId, type ReactNode } from 'react';

export interface PinPadProps {
  label: string;
  value: string;
  onChange: (pin: string) => void;
  clearLabel: string;
  maxLength?: number;
  children?: ReactNode;
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export function PinPad({ label, value, onChange, clearLabel, maxLength = 8 }: PinPadProps) {
  const id = useId();
  return (
    <div className="pinpad">
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} type="password" inputMode="numeric" autoComplete="off" maxLength={maxLength} value={value} onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, maxLength))} />
      </div>
      <div className="pinpad-keys" aria-hidden="true">
        {DIGITS.map((d) => (
          <button key={d} type="button" tabIndex={-1} className="secondary" onClick={() => onChange((value + d).slice(0, maxLength))}>
            {d}
          </button>
        ))}
        <button type="button" tabIndex={-1} className="secondary" onClick={() => onChange('')}>
          {clearLabel}
        </button>
      </div>
    </div>
  );
}
