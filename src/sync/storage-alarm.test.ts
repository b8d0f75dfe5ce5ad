// [D2] Storage: usage is reported, 90 % of the quota raises "nearly full" before writes fail, a refused
// write raises "full" (however Dexie wraps the browser's error), and only a sync that gets through
// clears it. [D1] The outbox watch fires for commands committed by any dispatch.
import { afterEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { SyncEngine } from './engine';
import { isQuotaError, watchOutbox } from '@/db/storage';
import { dispatch } from '@/db/dispatch';
import { saleComplete, type SaleCompletePayload } from '@/core/sales/sale-complete';
import { enrolledDb, testEnv } from '@/testing/factories';

function stubStorage(usage: number, quota: number, persisted = true) {
  vi.stubGlobal('navigator', {
    storage: { persisted: async () => persisted, persist: async () => persisted, estimate: async () => ({ usage, quota }) },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('[D2] storage alarm', () => {
  it('[D2] reports usage and quota, with no alarm below 90 % of the quota', async () => {
    const db = await enrolledDb();
    stubStorage(89, 100, false);
    const e = new SyncEngine(db);
    await e.checkStorage();
    expect(e.status.getState().storage).toEqual({ usage: 89, quota: 100, persisted: false });
    expect(e.status.getState().storageAlarm).toBeNull();
  });

  it('[D2] raises "nearly full" at 90 % of the quota and drops it when space is freed', async () => {
    const db = await enrolledDb();
    const e = new SyncEngine(db);
    stubStorage(90, 100);
    await e.checkStorage();
    expect(e.status.getState().storageAlarm).toBe('nearly-full');
    stubStorage(40, 100);
    await e.checkStorage();
    expect(e.status.getState().storageAlarm).toBeNull();
  });

  it('[D2] a refused write is "full" until a sync cycle gets through, whatever the estimate says', async () => {
    const db = await enrolledDb();
    // A server with nothing new: empty pulls, and checksums that say "moved on, compare later".
    const reply = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    const fetch = async (url: string | URL | Request) => (String(url).includes('/checksum') ? reply({ stale: true }) : reply({ stream: new URL(String(url), 'http://x').searchParams.get('stream'), changes: [], version: 0, more: false, total: 0 }));
    const e = new SyncEngine(db, { fetch });
    e.reportStorageFull();
    stubStorage(10, 100);
    await e.checkStorage();
    expect(e.status.getState().storageAlarm).toBe('full');
    await e.syncNow();
    expect(e.status.getState().lastError).toBeNull();
    expect(e.status.getState().storageAlarm).toBeNull();
  });

  it('[D2] recognises the quota error bare, wrapped by Dexie as the abort reason, or as a cause', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(isQuotaError(quota)).toBe(true);
    expect(isQuotaError(new Dexie.AbortError('Transaction aborted', quota))).toBe(true);
    expect(isQuotaError(new Error('write failed', { cause: quota }))).toBe(true);
    expect(isQuotaError(new Dexie.ConstraintError('Key already exists'))).toBe(false);
    expect(isQuotaError('QuotaExceededError')).toBe(false);
  });
});

describe('[D1] outbox watch', () => {
  it('[D1] calls back when a dispatch commits a command, not when the outbox drains', async () => {
    const db = await enrolledDb();
    const grew = vi.fn();
    const stop = watchOutbox(db, grew);
    await new Promise((r) => setTimeout(r, 20));
    const sale = (a: { newId(): string; receiptNo(): string }): SaleCompletePayload => ({ saleId: a.newId(), storeId: 'S01', receiptNo: a.receiptNo(), currency: 'EUR', lines: [{ sku: 'VT-1-BLK-M', qty: 1, unitPrice: 4999 }], tenders: [{ kind: 'cash', amount: 5000 }] });
    await dispatch(db, 'A-S01-CARLOS', saleComplete, sale, testEnv());
    await vi.waitFor(() => expect(grew).toHaveBeenCalledTimes(1));
    await db.outbox.clear();
    await new Promise((r) => setTimeout(r, 50));
    expect(grew).toHaveBeenCalledTimes(1);
    stop();
  });
});
