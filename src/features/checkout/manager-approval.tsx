// "Manager approval" [MO3][RO3]: a manager types their PIN on the cashier's tablet; the approval is
// recorded on the sale command. Nothing is applied until a manager's PIN is checked.
import { useState, type FormEvent } from 'react';
import { Dialog } from '@/components/dialog';
import { PinPad } from '@/components/pin-pad';
import { Button } from '@/components/button';
import { useT } from '@/i18n';
import { useServices } from '@/state/services';
import type { Approval } from '@/state/cart';
import { approveWithPin } from './manager-pin';

export interface ManagerApprovalProps {
  storeId: string;
  /** What is being approved, in words. */
  what: string;
  onApproved: (a: Approval) => void;
  onCancel: () => void;
}

export function ManagerApproval({ what, onApproved, onCancel }: ManagerApprovalProps) {
  const t = useT();
  const { db } = useServices();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const a = await approveWithPin(db, pin);
    setBusy(false);
    if (a) onApproved(a);
    else {
      setPin('');
      setError(t('approval.wrong'));
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
            {busy ? t('approval.checking') : t('approval.approve')}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
