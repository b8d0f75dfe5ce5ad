// The "Demo" badge [T4]: shown while the server runs in demo mode (its answer to /api/v1/health is
// remembered, so the badge stays up offline), where the well-known codes and PINs work.
import { useEffect } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useServices } from '@/state/services';
import { useT } from '@/i18n';

const MODE_KEY = 'server-mode';

export function DemoBadge() {
  const t = useT();
  const { db } = useServices();
  const mode = useLiveQuery(async () => (await db.meta.get(MODE_KEY))?.value as string | undefined, [db]);
  useEffect(() => {
    void fetch('/api/v1/health', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<{ mode?: string }>) : null))
      .then((h) => (h?.mode ? db.meta.put({ key: MODE_KEY, value: h.mode }) : undefined))
      .catch(() => undefined); // offline: keep what we knew
  }, [db]);
  if (mode !== 'demo') return null;
  return (
    <span className="demo-badge" title={t('trust.demoTitle')}>
      {t('trust.demo')}
    </span>
  );
}
