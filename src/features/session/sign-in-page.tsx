// Sign-in: pick your name, type your PIN. The server checks it when online; offline, the verifier this
// tablet kept from an earlier online sign-in does [A4][T2].
import { useEffect, useState, type FormEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useSession } from '@/state/session';
import { useT, useLocale, formatTime, type MessageKey } from '@/i18n';
import { refreshVerifiers, signIn, unlockWithManager } from '@/state/pin-auth';
import { ManagerPinDialog } from '@/components/manager-pin-dialog';
import { Button } from '@/components/button';
import { getDevice } from '@/db/device';
import { deviceTransport } from '@/sync/signing';

export function SignInPage() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { db } = useServices();
  const setWho = useSession((s) => s.set);
  const associates = useLiveQuery(async () => {
    const d = await getDevice(db);
    if (!d) return [];
    return (await db.associates.where('storeId').equals(d.storeId).toArray()).filter((a) => a.active).sort((a, b) => a.name.localeCompare(b.name));
  }, [db]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The locked-out associate a manager is asked to unlock, while the dialog is open. */
  const [locked, setLocked] = useState<string | null>(null);
  const [unlocking, setUnlocking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // While online, fetch this store's offline verifiers, so anyone can sign in here offline later.
  const count = associates?.length ?? 0;
  useEffect(() => {
    if (count === 0 || (typeof navigator !== 'undefined' && !navigator.onLine)) return;
    void deviceTransport(db).then((t) => refreshVerifiers(db, t));
  }, [db, count]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    setBusy(true);
    const online = typeof navigator === 'undefined' || navigator.onLine;
    const res = await signIn(db, chosen, pin, Date.now(), { transport: online ? await deviceTransport(db) : null });
    setBusy(false);
    setPin('');
    if (res.ok) {
      setWho(res.who);
      return;
    }
    const name = associates?.find((a) => a.id === chosen)?.name ?? '';
    setLocked(res.reason === 'locked' ? chosen : null);
    setError(
      res.reason === 'locked'
        ? t('signin.locked', { name, time: formatTime(locale, res.until) })
        : res.reason === 'wrong'
          ? t('signin.wrong', { left: res.left })
          : res.reason === 'needs-online'
            ? t('trust.needsOnline', { name })
            : t('trust.refused', { reason: res.message }),
    );
  }

  return (
    <main className="centered">
      <form className="card form" onSubmit={(e) => void submit(e)}>
        <h1>{t('signin.title')}</h1>
        {associates && associates.length === 0 && <p>{t('signin.noAssociates')}</p>}
        {associates && associates.length > 0 && <p>{t('signin.choose')}</p>}
        <div className="associates">
          {associates?.map((a) => (
            <button
              type="button"
              key={a.id}
              aria-pressed={chosen === a.id}
              className={chosen === a.id ? 'chip chosen' : 'chip'}
              onClick={() => {
                setChosen(a.id);
                setError(null);
                setLocked(null);
                setNotice(null);
              }}
            >
              {a.name}
              <small>{t(`role.${a.role}` as MessageKey)}</small>
            </button>
          ))}
        </div>
        <label>
          {t('signin.pin')}
          <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} maxLength={8} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
        {locked && locked === chosen && (
          <Button variant="secondary" onClick={() => setUnlocking(true)}>
            {t('signin.unlock')}
          </Button>
        )}
        <button type="submit" disabled={!chosen || pin.length < 4 || busy}>
          {t('signin.submit')}
        </button>
      </form>
      {unlocking && locked && (
        <UnlockDialog
          associateId={locked}
          name={associates?.find((a) => a.id === locked)?.name ?? ''}
          onDone={(by) => {
            setUnlocking(false);
            setLocked(null);
            setError(null);
            setNotice(t('signin.unlocked', { name: associates?.find((a) => a.id === locked)?.name ?? '', by }));
          }}
          onCancel={() => setUnlocking(false)}
        />
      )}
    </main>
  );
}

/** [T2] "Manager approval" for lifting a lock-out: another manager types their PIN. */
function UnlockDialog({ associateId, name, onDone, onCancel }: { associateId: string; name: string; onDone: (by: string) => void; onCancel: () => void }) {
  const t = useT();
  const { db } = useServices();
  return (
    <ManagerPinDialog
      what={t('signin.unlockWhat', { name })}
      submitLabel={t('signin.unlockSubmit')}
      onCancel={onCancel}
      check={async (pin) => {
        const online = typeof navigator === 'undefined' || navigator.onLine;
        const res = await unlockWithManager(db, associateId, pin, Date.now(), { transport: online ? await deviceTransport(db) : null });
        if (res.ok) {
          onDone(res.by);
          return null;
        }
        return res.reason === 'self' ? t('signin.unlockSelf') : res.reason === 'needs-online' ? t('trust.needsOnline', { name }) : res.reason === 'refused' ? t('trust.refused', { reason: res.message }) : t('approval.wrong');
      }}
    />
  );
}
