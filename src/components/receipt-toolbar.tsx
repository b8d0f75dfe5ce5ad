// What sits above a receipt on screen, for sales and returns alike: Print, Email (a form for the
// address, prefilled with the customer's, then a note that the e-mail is queued [W3]) and whatever
// the screen adds (New sale, New return). The caller says how the e-mail is sent; it answers a
// sentence when it cannot send (signed out), and a refusal it throws is worded like any save.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useT } from '@/i18n';
import { useSaveError } from '@/state/save-errors';
import { Button } from './button';

export function ReceiptToolbar({ defaultEmail, send, children }: { defaultEmail?: string; send: (email: string) => Promise<string | void>; children?: ReactNode }) {
  const t = useT();
  const saveError = useSaveError();
  const [emailing, setEmailing] = useState(false);
  const [email, setEmail] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const to = email.trim();
    try {
      const problem = await send(to);
      if (problem) return setNote({ ok: false, text: problem });
      setNote({ ok: true, text: t('receipt.emailQueued', { email: to }) });
      setEmailing(false);
    } catch (err) {
      setNote({ ok: false, text: saveError(err) });
    }
  }

  return (
    <>
      <div className="inline no-print">
        <Button onClick={() => window.print()}>{t('receipt.print')}</Button>
        <Button
          variant="secondary"
          onClick={() => {
            setEmail(defaultEmail ?? '');
            setEmailing(true);
          }}
        >
          {t('receipt.email')}
        </Button>
        {children}
      </div>
      {emailing && (
        <form className="inline no-print" onSubmit={(e) => void submit(e)}>
          <label>
            {t('customers.email')}
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <Button type="submit">{t('receipt.send')}</Button>
        </form>
      )}
      {note && (
        <p role={note.ok ? 'status' : 'alert'} className={note.ok ? 'no-print' : 'error no-print'}>
          {note.text}
        </p>
      )}
    </>
  );
}
