// First launch: enroll the tablet with a manager's one-time code [A1].
import { useState, type FormEvent } from 'react';
import { useServices } from '@/state/services';
import { saveEnrollment } from '@/db/device';
import { call, SyncHttpError } from '@/sync/transport';
import type { EnrollResponse } from '@/core/sync/protocol';
import { useT } from '@/i18n';
import { useLiveQuery } from 'dexie-react-hooks';
import { ensureDeviceKey } from '@/sync/signing';
import { revokedExports } from '@/db/wipe';
import { DemoBadge } from './demo-badge';

export function EnrollPage({ onEnrolled }: { onEnrolled: () => void }) {
  const t = useT();
  const { db, engine } = useServices();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kept = useLiveQuery(() => revokedExports(db), [db]) ?? [];

  function download() {
    for (const file of kept) {
      const blob = new Blob([JSON.stringify({ deviceId: file.deviceId, commands: file.commands }, null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `vitrine-unsent-${file.deviceId}.json`;
      a.click();
      URL.revokeObjectURL(a.href);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // [T1] The key is made before the first attempt and reused by a retry, so a lost answer never
      // burns the one-time code: the server gives the same device back.
      const key = await ensureDeviceKey(db);
      const res = await call<EnrollResponse>({ baseUrl: '', fetch: (...a) => fetch(...a) }, 'POST', '/api/v1/devices/enroll', { code: code.trim(), name: name.trim(), publicKey: key.publicKey });
      await saveEnrollment(db, res, Date.now());
      engine.start();
      onEnrolled();
    } catch (err) {
      setError(err instanceof SyncHttpError && err.status === 0 ? t('enroll.offline') : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <form className="card form" onSubmit={(e) => void submit(e)}>
        <h1>
          {t('enroll.title')} <DemoBadge />
        </h1>
        {kept.length > 0 && (
          <div role="alert" className="error">
            <p>{t('trust.revoked', { count: kept.reduce((n, f) => n + f.commands.length, 0) })}</p>
            <button type="button" className="secondary" onClick={download}>
              {t('trust.exportRevoked')}
            </button>
          </div>
        )}
        <p>{t('enroll.intro')}</p>
        <label>
          {t('enroll.code')}
          <input value={code} onChange={(e) => setCode(e.target.value)} required autoComplete="off" autoCapitalize="characters" />
        </label>
        <label>
          {t('enroll.name')}
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={60} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('enroll.working') : t('enroll.submit')}
        </button>
      </form>
    </main>
  );
}
