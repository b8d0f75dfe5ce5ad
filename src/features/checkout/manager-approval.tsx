// "Manager approval" [MO3][RO3]: a manager types their PIN on the cashier's tablet; the approval is
// recorded on the sale command. Nothing is applied until a manager's PIN is checked.
import { ManagerPinDialog } from '@/components/manager-pin-dialog';
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

/** A discount's approval [MO3]. */
export function ManagerApproval({ what, onApproved, onCancel }: ManagerApprovalProps) {
  const t = useT();
  const { db } = useServices();
  return (
    <ManagerPinDialog
      what={what}
      onCancel={onCancel}
      check={async (pin) => {
        const a = await approveWithPin(db, pin);
        if (!a) return t('approval.wrong');
        onApproved(a);
        return null;
      }}
    />
  );
}
