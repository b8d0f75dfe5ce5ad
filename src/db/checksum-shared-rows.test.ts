// [M1][P7] A row shared by two store streams (an order collected at S02 whose line is reserved at S01,
// decision 79) reaches an S01 tablet through store:S01: the tablet's checksum of that stream counts it,
// as the server's does, so the comparison does not find a divergence that is not there (found by the
// simulation: the S01 tablet re-bootstrapped its store stream at every check).
import { describe, expect, it } from 'vitest';
import { applyPulledPage, localChecksum } from './sync-store';
import { enrolledDb } from '@/testing/factories';
import { streamDigest } from '@/core/sync/checksum';
import type { OrderRow } from '@/core/model';

const order = { id: 'O-1', number: 'W-1', channel: 'web', storeId: 'S02', status: 'placed', customerName: 'Lia', currency: 'EUR', lines: [{ sku: 'VT-1-BLK-M', name: 'Chino', qty: 1, unitPrice: 1000 }], total: 1000, createdAt: '2025-06-01T00:00:00Z', readyBy: '2025-06-01T02:00:00Z' } as unknown as OrderRow;

describe('the checksum of a store stream', () => {
  it('[P7][M1] counts a row whose home is another store when it came through this stream, as the server does', async () => {
    const db = await enrolledDb();
    await applyPulledPage(db, { stream: 'store:S01', changes: [{ table: 'orders', key: order.id, version: 7, row: order }], version: 7, more: false, total: 1 }, 2_000);
    const server = streamDigest([
      { table: 'stock', key: 'S01|VT-1-BLK-M', version: 1 },
      { table: 'orders', key: order.id, version: 7 },
    ]);
    expect(await localChecksum(db, 'store:S01')).toEqual(server);
    // A row of a stream this tablet pulls itself is that stream's, not this one's.
    expect((await localChecksum(db, 'customers')).count).toBe(0);
  });
});
