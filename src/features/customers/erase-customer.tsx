// Erasing a customer at their request [CL6]: a manager confirms in words, then a manager's PIN
// approves erasing exactly this customer [RO3][T2]. The profile leaves every tablet at its next sync.
import { useState } from 'react';
import { Dialog } from '@/components/dialog';
import { Button } from '@/components/button';
import { useT } from '@/i18n';
import { useServices } from '@/state/services';
import { verifyManagerPin } from '@/state/pin-auth';
import { ManagerPinDialog } from '@/components/manager-pin-dialog';
import { customerErase, eraseSubject } from '@/core/customers/customer-erase';
import type { useCustomerCommand } from './use-customer-command';

type Step = 'closed' | 'confirm' | 'approve';

export function EraseCustomer({ customerId, name, run, onErased }: { customerId: string; name: string; run: ReturnType<typeof useCustomerCommand>['run']; onErased: () => void }) {
  const t = useT();
  const [step, setStep] = useState<Step>('closed');
  if (step === 'closed') {
    return (
      <Button variant="secondary" onClick={() => setStep('confirm')}>
        {t('customers.erase')}
      </Button>
    );
  }
  if (step === 'confirm') {
    return (
      <Dialog label={t('customers.erase')} onClose={() => setStep('closed')}>
        <p>{t('customers.eraseConfirm', { name })}</p>
        <div className="inline">
          <Button onClick={() => setStep('approve')}>{t('customers.eraseYes')}</Button>
          <Button variant="secondary" onClick={() => setStep('closed')}>
            {t('common.cancel')}
          </Button>
        </div>
      </Dialog>
    );
  }
  return (
    <EraseApproval
      what={t('customers.eraseApproval', { name })}
      subject={eraseSubject(customerId)}
      onCancel={() => setStep('closed')}
      onApproved={async (approval) => {
        setStep('closed');
        if (await run(customerErase, { customerId, approval })) onErased();
      }}
    />
  );
}

type Approval = { by: string; at: number; subject: unknown; mac: string };

/** "Manager approval" for an erasure: the manager's PIN, checked on this tablet, proves the approval of `subject` [T2]. */
function EraseApproval({ what, subject, onApproved, onCancel }: { what: string; subject: unknown; onApproved: (a: Approval) => void; onCancel: () => void }) {
  const t = useT();
  const { db } = useServices();
  return (
    <ManagerPinDialog
      what={what}
      onCancel={onCancel}
      check={async (pin) => {
        const r = await verifyManagerPin(db, pin, subject, Date.now());
        if (!r.ok) return t('approval.wrong');
        onApproved({ by: r.approval.by, at: r.approval.at, subject: r.approval.subject, mac: r.approval.mac });
        return null;
      }}
    />
  );
}
