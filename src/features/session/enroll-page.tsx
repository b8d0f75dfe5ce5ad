// First launch: enroll the tablet with a manager's one-time code [A1].
import { useState, type FormEvent } from 'react';
import { useServices } from '@/state/services';
import { saveEnrollment } from '@/db/device';
import { call, SyncHttpError } from '@/sync/transport';
import type { EnrollResponse } from '@/core/sync/protocol';
import { useT } from '@/i18n';

export function EnrollPage({ onEnrolled }: { onEnrolled: () => void }) {
  const t = useT();
  const { db, engine } = useServices();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await call<EnrollResponse>({ baseUrl: '', fetch: (...a) => fetch(...a) }, 'POST', '/api/v1/devices/enroll', { code: code.trim(), name: name.trim() });
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
        <h1>{t('enroll.title')}</h1>
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
