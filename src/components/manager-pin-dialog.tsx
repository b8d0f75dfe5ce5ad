// "Manager approval" [MO3][RO3][T2]: the one dialog in which a manager types their PIN on another
// associate's tablet, for a discount, an erasure or lifting a lock-out. Each caller says what is
// approved and how the PIN is checked; the dialog shows the answer in words.
import { useState, type FormEvent } from 'react';
import { Dialog } from './dialog';
import { PinPad } from './pin-pad';
import { Button } from './button';
import { useT } from '@/i18n';

export interface ManagerPinDialogProps {
  /** What is being approved, in words. */
  what: string;
  /** The submit button's words (default "Approve"). */
  submitLabel?: string;
  /** Checks the PIN and acts on it: resolves null when done, or the sentence to show. */
  check: (pin: string) => Promise<string | null>;
  onCancel: () => void;
}

/** The "Manager approval" dialog: a PIN pad, the check's answer in words, Cancel. */
export function ManagerPinDialog({ what, submitLabel, check, onCancel }: ManagerPinDialogProps) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const problem = /^\d{4,12}$/.test(pin) ? await check(pin) : t('approval.wrong');
    setBusy(false);
    if (problem) {
      setPin('');
      setError(problem);
    }
  }

  return (
    <Dialog label={t('approval.title')} onClose={onCancel}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <p>{what}</p>
        <PinPad label={t('approval.pin')} value={pin} onChange={setPin} clearLabel={t('approval.clear')} />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="inline">
          <Button type="submit" disabled={busy}>
            {busy ? t('approval.checking') : (submitLabel ?? t('approval.approve'))}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
