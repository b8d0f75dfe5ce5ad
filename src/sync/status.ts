// Sync status shown everywhere [D4]: online/offline, progress of a bootstrap, last success, alarms.
import { createStore } from 'zustand/vanilla';

export interface SyncStatus {
  online: boolean;
  syncing: boolean;
  lastSyncAt: number | null;
  /** Bootstrap / catch-up progress of the stream being pulled [P4]. */
  progress: { stream: string; received: number; total: number } | null;
  /** A condition a person must act on: seq conflict, gap, revoked device (storage has its own). */
  alarm: string | null;
  lastError: string | null;
  storage: { usage: number; quota: number; persisted: boolean } | null;
  /** [D2] Out of space (a write was refused) or nearly so (≥ 90 % of the quota used). */
  storageAlarm: 'full' | 'nearly-full' | null;
  /** [D1] Whether this tab runs the device's sync loop; other tabs mirror its status. */
  leader: boolean;
  /** [D8] Server clock minus this tablet's (ms), from answers' Date headers: ages use server time. */
  serverOffsetMs: number;
}

/** The share of the quota at which the tablet warns before writes start failing [D2]. */
export const NEARLY_FULL = 0.9;

export const createSyncStatus = () =>
  createStore<SyncStatus>(() => ({
    online: typeof navigator === 'undefined' ? true : navigator.onLine,
    syncing: false,
    lastSyncAt: null,
    progress: null,
    alarm: null,
    lastError: null,
    storage: null,
    storageAlarm: null,
    leader: false,
    serverOffsetMs: 0,
  }));

export type SyncStatusStore = ReturnType<typeof createSyncStatus>;
