// The always-visible sync status [D4]: online/offline, unsent commands and the age of the oldest,
// last successful sync, bootstrap progress, alarms, "Sync now" and "Export unsent".
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { useServices } from '@/state/services';
import { useT, useLocale, formatAge, formatBytes } from '@/i18n';
import { exportUnsent } from '@/db/sync-store';

function useNow(ms = 15_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

function useBrowserOnline() {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

export function SyncStatusBar() {
  const t = useT();
  const locale = useLocale((l) => l.locale);
  const mb = (n: number) => formatBytes(locale, n);
  const { db, engine } = useServices();
  const s = useStore(engine.status);
  const browserOnline = useBrowserOnline();
  const now = useNow();
  // [D6] Commands held from an earlier enrollment are unsent too.
  const unsent = useLiveQuery(async () => (await db.outbox.count()) + (await db.held.count()), [db]) ?? 0;
  const oldest = useLiveQuery(() => db.outbox.orderBy('seq').first(), [db]);
  const attention = useLiveQuery(() => db.alerts.count(), [db]) ?? 0;
  // [D8] Ages are measured in server time: "last sync" is stamped with it.
  const serverNow = now + s.serverOffsetMs;
  const online = browserOnline && s.online;

  async function doExport() {
    const data = await exportUnsent(db);
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `vitrine-unsent-${data.deviceId}-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  }

  const pct = s.progress && s.progress.total > 0 ? Math.round((100 * s.progress.received) / s.progress.total) : 0;
  return (
    <div className="syncbar">
      <div role="status" aria-label={t('sync.status')} className={online ? 'sync online' : 'sync offline'}>
        <span className="dot" aria-hidden="true" />
        <strong>{online ? t('sync.online') : t('sync.offline')}</strong>
        <span> · {t('sync.unsent', { count: unsent })}</span>
        {oldest && <span> · {t('sync.oldest', { age: formatAge(t, oldest.createdAt, now) })}</span>}
        <span> · {s.lastSyncAt ? t('sync.last', { age: formatAge(t, s.lastSyncAt, serverNow) }) : t('sync.never')}</span>
        {s.storage && (
          <span className="muted">
            {' '}
            · {t('sync.storage', { used: mb(s.storage.usage), quota: mb(s.storage.quota) })}
            {!s.storage.persisted && ` (${t('sync.notPersisted')})`}
          </span>
        )}
      </div>
      {s.progress && s.syncing && (
        <div className="progress">
          <progress max={100} value={pct} aria-label={t('bootstrap.title')} />
          <span>{t('bootstrap.progress', { stream: s.progress.stream, received: s.progress.received, total: s.progress.total, percent: pct })}</span>
        </div>
      )}
      {attention > 0 && (
        <Link to="/attention" className="badge warn">
          {t('nav.attention')} ({attention})
        </Link>
      )}
      <button type="button" onClick={() => void engine.syncNow()} disabled={s.syncing}>
        {s.syncing ? t('sync.syncing') : t('sync.now')}
      </button>
      {unsent > 0 && (
        <button type="button" className="secondary" onClick={() => void doExport()}>
          {t('sync.export')}
        </button>
      )}
      {s.storageAlarm && (
        <p role="alert" className="alarm">
          {s.storageAlarm === 'full' ? t('sync.storageFull') : t('sync.storageNearlyFull', { used: mb(s.storage?.usage ?? 0), quota: mb(s.storage?.quota ?? 0) })}
        </p>
      )}
      {s.alarm && (
        <p role="alert" className="alarm">
          {s.alarm}
        </p>
      )}
    </div>
  );
}
