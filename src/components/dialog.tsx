// A modal dialog with an accessible name: focus moves into it, Escape closes it where closing is allowed.
import { useEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  label: string;
  children: ReactNode;
  /** Omitted when the dialog must be answered (a card payment in flight). */
  onClose?: () => void;
  className?: string;
}

export function Dialog({ label, children, onClose, className }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input, select, button, [tabindex]');
    first?.focus();
  }, []);
  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label={label}
        className={['card', 'dialog', className].filter(Boolean).join(' ')}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && onClose) onClose();
        }}
      >
        <h2>{label}</h2>
        {children}
      </div>
    </div>
  );
}
