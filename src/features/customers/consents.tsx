// Marketing consents [CL1]: each a checkbox, with when, where and by whom it was last given or withdrawn.
import { useT, useLocale, formatTime } from '@/i18n';
import { decodeHlc } from '@/core/shared/hlc';
import type { CustomerRow } from '@/core/model';
import type { ConsentEdit } from '@/core/customers/profile-edit';
import { useStoreNames } from '@/db/hooks/customers';

export function Consents({ customer, onChange }: { customer: CustomerRow; onChange: (c: ConsentEdit) => void }) {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const stores = useStoreNames();
  const channels = [
    ['email', 'customers.consentEmail'],
    ['sms', 'customers.consentSms'],
  ] as const;
  return (
    <fieldset className="consents">
      <legend>{t('customers.consents')}</legend>
      {channels.map(([ch, label]) => {
        const m = customer.consents?.[ch];
        const where = m?.source?.startsWith('store:') ? (stores.get(m.source.slice(6)) ?? m.source.slice(6)) : (m?.source ?? '');
        return (
          <div key={ch}>
            <label>
              <input type="checkbox" checked={m?.on === true} onChange={(e) => onChange({ [ch]: e.target.checked })} />
              {t(label)}
            </label>
            {m && <small className="muted"> {t(m.on ? 'customers.consentGiven' : 'customers.consentWithdrawn', { time: formatTime(locale, decodeHlc(m.at).wall), where })}</small>}
          </div>
        );
      })}
    </fieldset>
  );
}
