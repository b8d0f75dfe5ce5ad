// customer.erase: the customer's request to be forgotten [CL6]. A manager asks for it on a tablet,
// with a manager's approval for this very customer [RO3][T2], or the admin API does (as the system).
// The profile, its history and its notes are deleted: tombstones on the customers stream, so they
// leave every tablet at its next pull [M2]. An `erased` redirect under the opaque id (and under every
// id merged into it) answers later commands in words. Sales and ledger entries stay: they name only
// the opaque id. Orders and exceptions elsewhere in the chain are anonymised by the follow-up
// `customer.erase-records`, which the server runs as the system (a manager may write only their store).
import { z } from 'zod';
import { EffectsBuilder, type CommandDef, type ReadTx } from '../sync/command';
import type { AssociateId, CustomerId } from '../shared/brand';
import type { OrderRow, StreamName } from '../model';
import { orderStreams } from '../pickup/order-state';
import { fail } from '../shared/errors';
import { canonicalJson } from '../shared/canonical';
import { isErased, resolveCustomer } from './redirects';

const id = z.string().min(1).max(64, 'A customer id is at most 64 characters');

export const customerEraseV1 = z.object({
  customerId: id,
  /** A manager's approval of `{kind: 'erase-customer', customerId}` (checked on push [T2]); the admin API sends none. */
  approval: z.object({ by: z.string().min(1).max(64), at: z.number().int().nonnegative(), subject: z.unknown(), mac: z.string().min(1).max(200) }).optional(),
});
export type CustomerErasePayload = z.infer<typeof customerEraseV1>;

/** What a manager approves for an erasure: exactly this customer. */
export const eraseSubject = (customerId: string) => ({ kind: 'erase-customer', customerId });

export const customerErase: CommandDef<CustomerErasePayload> = {
  type: 'customer.erase',
  version: 1,
  schemas: { 1: customerEraseV1 },
  roles: ['manager', 'system'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  prefetch: (p) => [
    { table: 'customers', keys: [p.customerId] },
    { table: 'redirects', keys: [p.customerId] },
    ...(p.approval ? [{ table: 'associates' as const, keys: [p.approval.by] }] : []),
  ],
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const p = cmd.payload;
    if (ctx.principal?.kind !== 'system') {
      // [RO3] A manager's approval, made for erasing exactly this customer.
      const approver = p.approval ? await b.get('associates', p.approval.by) : undefined;
      if (!p.approval || !approver || !approver.active || approver.role !== 'manager') return fail('approval-required', 'Erasing a customer needs a manager\'s approval: a manager enters their PIN to confirm.');
      if (canonicalJson(p.approval.subject) !== canonicalJson(eraseSubject(p.customerId))) return fail('approval-required', `The manager's approval was given for something else, not for erasing customer ${p.customerId}; ask for the approval again.`);
    }
    const c = await resolveCustomer(b, p.customerId);
    if (!c) {
      if (await isErased(b, p.customerId)) {
        // Asked again (another tablet, the admin API, a retry): already done.
        b.summary = { customerId: p.customerId, alreadyErased: true };
        return b.done();
      }
      return fail('unknown-customer', `There is no customer ${p.customerId} to erase; search for the profile again.`);
    }
    const ids = [c.id, ...(c.mergedFrom ?? [])] as CustomerId[];
    b.delete('customers', c.id);
    b.delete('history', c.id);
    for (const note of await b.rowsOfCustomers('notes', ids)) b.delete('notes', note.id);
    for (const gone of ids) b.put('redirects', { id: gone, to: gone, at: cmd.at, by: cmd.actor as AssociateId, erased: true });
    // The server's outbox forgets the notices sent to the profile's addresses (a tablet has no outbox).
    b.forgetNotices({ recipients: [c.email, c.phone], refs: {} });
    // [J1] Orders and exceptions in any store are anonymised by the server, as the system.
    b.followUp({ kind: 'customer.erase-records', key: c.id, payload: { customerIds: ids } });
    b.summary = { customerId: c.id, erased: ids };
    return b.done();
  },
};

export const eraseRecordsV1 = z.object({ customerIds: z.array(id).min(1).max(100) });
export type EraseRecordsPayload = z.infer<typeof eraseRecordsV1>;

/** [CL6] What an anonymised exception says instead of its message, which may have named the customer. */
export const ERASED_EXCEPTION_MESSAGE = 'This record named a customer whose data was erased at their request; what it was about is kept without it.';

async function recordsOf(tx: ReadTx, ids: readonly string[]) {
  const [orders, exceptions] = await Promise.all([tx.rowsOfCustomers?.('orders', ids) ?? [], tx.rowsOfCustomers?.('exceptions', ids) ?? []]);
  return { orders, exceptions };
}

/** [CL6] The sales and returns naming the customers: their ids find the receipts e-mailed about them. */
async function purchasesOf(tx: ReadTx, ids: readonly string[]) {
  const [sales, returns] = await Promise.all([tx.rowsOfCustomers?.('sales', ids) ?? [], tx.rowsOfCustomers?.('returns', ids) ?? []]);
  return { saleIds: sales.map((s) => s.id), returnIds: returns.map((r) => r.id) };
}

// [J3][M1] Every stream an order is in (its pickup store, the location sourcing it, the till's store),
// not only its own store's: the anonymised order stays in each of them.
const streamsOf = (rows: { orders: OrderRow[]; exceptions: { storeId: string }[] }): StreamName[] => [
  ...new Set([...rows.orders.flatMap(orderStreams), ...rows.exceptions.map((e) => (e.storeId === '*' ? ('chain' as const) : (`store:${e.storeId}` as const)))]),
];

/** customer.erase-records: the server's anonymising of an erased customer's orders and exceptions in every store [CL6]. */
export const eraseRecords: CommandDef<EraseRecordsPayload> = {
  type: 'customer.erase-records',
  version: 1,
  schemas: { 1: eraseRecordsV1 },
  roles: ['system'],
  storeOf: () => undefined,
  streams: () => ['customers'],
  // [J3] The stores whose orders and exceptions name the customer are known only by reading.
  plan: async ({ tx }, cmd) => streamsOf(await recordsOf(tx, cmd.payload.customerIds)),
  async handle(ctx, cmd) {
    const b = new EffectsBuilder(ctx.tx);
    const ids = cmd.payload.customerIds;
    const { orders, exceptions } = await recordsOf(b, ids);
    for (const o of orders) {
      const { contact: _contact, shipTo: _shipTo, ...rest } = o;
      // [M1] Put with all its streams, or the order would leave them (a tombstone at the fulfilling store).
      b.put('orders', { ...rest, customerName: '' }, { also: orderStreams(o) });
    }
    // The message may name the customer and the details may hold a command's payload: only the receipt number stays.
    for (const e of exceptions) {
      const receiptNo = typeof e.details.receiptNo === 'string' ? e.details.receiptNo : undefined;
      b.put('exceptions', { ...e, message: ERASED_EXCEPTION_MESSAGE, details: { anonymised: true, ...(receiptNo ? { receiptNo } : {}) } });
    }
    // The outbox forgets notices about these orders, sales and returns, and those sent to the orders'
    // contacts (a merged-in profile's address, a receipt typed in at the till, a web order's e-mail).
    const { saleIds, returnIds } = await purchasesOf(b, ids);
    b.forgetNotices({ recipients: orders.flatMap((o) => [o.contact?.email ?? '', o.contact?.phone ?? '']), refs: { orderId: orders.map((o) => o.id), saleId: saleIds, returnId: returnIds } });
    // A note written after the erasure started (it was rejected since; this is a safety net).
    for (const note of await b.rowsOfCustomers('notes', ids)) b.delete('notes', note.id);
    b.summary = { orders: orders.length, exceptions: exceptions.length, sales: saleIds.length, returns: returnIds.length };
    return b.done();
  },
};
