// GET /api/v1/sync/device [D5]: what the server holds of the calling device — its last seq, its last
// receipt number and the ids and answers of its commands after a seq — so a tablet restored from a backup (or
// one that lost its last commits in a crash) can renumber its outbox instead of wedging.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeviceRecord, Store } from '../store/store';
import { HttpError } from './errors';

/** At most this many command ids per answer; `more` says to ask again after the last one. */
export const MAX_DEVICE_COMMANDS = 5000;

const query = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().positive().max(MAX_DEVICE_COMMANDS).default(MAX_DEVICE_COMMANDS),
});

export interface DeviceStateAnswer {
  deviceId: string;
  lastSeq: number;
  /** Highest receipt counter among this device's applied commands (0: none). */
  lastReceipt: number;
  /**
   * This device's commands after `after`, each with the server's answer: a tablet whose answer was
   * lost learns it here (a rejection must still reach "Needs attention" [C4]).
   */
  commands: DeviceCommand[];
  more: boolean;
}

export type DeviceCommand = { seq: number; id: string; type: string; status: 'applied' } | { seq: number; id: string; type: string; status: 'rejected'; error: { code: string; message: string } };

export function registerDeviceState(app: FastifyInstance, store: Store, authenticate: (req: FastifyRequest) => Promise<DeviceRecord>): void {
  app.get('/api/v1/sync/device', async (req): Promise<DeviceStateAnswer> => {
    const device = await authenticate(req);
    const parsed = query.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, 'invalid-body', `Invalid device query: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not understood'}.`);
    }
    const { after, limit } = parsed.data;
    const [rows, lastReceipt] = await Promise.all([
      store.db.selectFrom('commands').select(['seq', 'id', 'type', 'status', 'result']).where('device_id', '=', device.id).where('seq', '>', after).orderBy('seq').limit(limit + 1).execute(),
      lastReceiptOf(store, device),
    ]);
    return {
      deviceId: device.id,
      lastSeq: device.lastSeq,
      lastReceipt,
      commands: rows.slice(0, limit).map((r): DeviceCommand => {
        const seq = Number(r.seq);
        if (r.status !== 'rejected') return { seq, id: r.id, type: r.type, status: 'applied' };
        const error = (JSON.parse(r.result) as { error?: { code: string; message: string } }).error ?? { code: 'rejected', message: 'The server refused this command.' };
        return { seq, id: r.id, type: r.type, status: 'rejected', error };
      }),
      more: rows.length > limit,
    };
  });
}

/**
 * Commands that give out a receipt number of the device that makes them (its counter): a sale, an
 * order paid at the till [OR1] and a return [RE1] (decision 45) all take the next one. Others may
 * name a receipt in their summary — receipt.email names the sale it mails, which may be another
 * tablet's, or an old one of this tablet's — and must not move this device's counter. Counting
 * only sales let a restored tablet give out again the number of an order or a return the server
 * had (simulation seed 310: two sales numbered 000001, one an order's).
 */
export const RECEIPT_COMMANDS = ['sale.complete', 'order.create', 'return.create'];

/**
 * The receipt counter of the device's latest applied command that gave out a receipt number (its
 * summary's `receiptNo`, S01-T03-000123 → 123), if it is this device's. Receipt numbers rise with seq
 * on a device, so the latest such command has the highest. A rejected sale reports none: its
 * number is not known here.
 */
async function lastReceiptOf(store: Store, device: DeviceRecord): Promise<number> {
  const row = await store.db
    .selectFrom('commands')
    .select('result')
    .where('device_id', '=', device.id)
    .where('status', '=', 'applied')
    .where('type', 'in', RECEIPT_COMMANDS)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return 0;
  const receipt = (JSON.parse(row.result) as { summary?: { receiptNo?: unknown } }).summary?.receiptNo;
  const m = typeof receipt === 'string' ? /^[A-Z0-9]+-([A-Z0-9]+)-(\d+)$/.exec(receipt) : null;
  return m && m[1] === device.deviceCode ? Number(m[2]) : 0;
}
