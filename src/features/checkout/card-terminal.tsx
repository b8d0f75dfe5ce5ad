// "Card terminal" [SE2]: the terminal's answer for one card payment, shown while it is asked. An
// approval adds the payment; a decline or no answer says so, and nothing is taken.
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '@/components/dialog';
import { Button } from '@/components/button';
import { useT } from '@/i18n';
import type { Currency, Minor } from '@/core/shared/brand';
import { paymentTerminal, TERMINAL_TIMEOUT_MS, type CardResult } from './payment-terminal';

export interface CardTerminalProps {
  amount: Minor;
  currency: Currency;
  money: (m: number) => string;
  onApproved: (ref: string) => void;
  onClose: () => void;
  /** Offline: the terminal stores the payment to forward [SE2]; it can still decline the card. */
  offline?: boolean;
}

export function CardTerminal({ amount, currency, money, onApproved, onClose, offline = false }: CardTerminalProps) {
  const t = useT();
  const [result, setResult] = useState<CardResult | null>(null);
  const [attempt, setAttempt] = useState(0);
  const done = useRef(onApproved);
  done.current = onApproved;
  useEffect(() => {
    let live = true;
    setResult(null);
    void paymentTerminal()
      .authorize(amount, currency, { timeoutMs: TERMINAL_TIMEOUT_MS, offline })
      .then((r) => {
        if (!live) return;
        if (r.status === 'approved') done.current(r.ref);
        else setResult(r);
      });
    return () => {
      live = false;
    };
  }, [amount, currency, attempt, offline]);

  return (
    <Dialog label={t('terminal.title')} {...(result ? { onClose } : {})}>
      <p className="price big">{money(amount)}</p>
      {!result && <p role="status">{t('terminal.waiting')}</p>}
      {result?.status === 'declined' && (
        <p role="alert" className="error">
          {t('terminal.declined')}
        </p>
      )}
      {result?.status === 'timeout' && (
        <p role="alert" className="error">
          {t('terminal.timeout')}
        </p>
      )}
      {result && (
        <div className="inline">
          <Button onClick={() => setAttempt((n) => n + 1)}>{t('terminal.retry')}</Button>
          <Button variant="secondary" onClick={onClose}>
            {t('common.close')}
          </Button>
        </div>
      )}
    </Dialog>
  );
}
