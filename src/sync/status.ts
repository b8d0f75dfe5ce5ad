// Sync status shown everywhere [D4]: online/offline, progress of a bootstrap, last success, alarms.
import { createStore } from 'zustand/vanilla';

export interface SyncStatus {
  online: boolean;
  syncing: boolean;
  lastSyncAt: number | null;
  /** Bootstrap / catch-up progress of the stream being pulled [P4]. */
  progress: { stream: string; received: number; total: number } | null;
  /** A condition a person must act on: seq conflict, quota, revoked device. */
  alarm: string | null;
  lastError: string | null;
  storage: { usage: number; quota: number; persisted: boolean } | null;
}

export const createSyncStatus = () =>
  createStore<SyncStatus>(() => ({
    online: typeof navigator === 'undefined' ? true : navigator.onLine,
    syncing: false,
    lastSyncAt: null,
    progress: null,
    alarm: null,
    lastError: null,
    storage: null,
  }));

export type SyncStatusStore = ReturnType<typeof createSyncStatus>;
