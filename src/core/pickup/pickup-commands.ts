// Pickup transitions as commands [PQ1][PQ3][PQ5]: start picking, mark ready, hand over, mark a line
// short, cancel, and the server's expiry. The same transition twice is applied as a no-op; a
// conflicting one (arrival order decides) is `rejected: invalid-transition`, in words.
import { z } from 'zod';
import type { CommandDef, EffectsBuilder as Builder, Command, HandlerContext, PrincipalRole } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import type { LineReassign, OrderRow, OrderStatus, StreamName } from '../model';
import type { LocationId } from '../shared/brand';
import { fail } from '../shared/errors';
import { DAY_MS, DEFAULT_EXPIRY_DAYS, invalidTransition, loadOrder, notice, openLines, orderStreams, reassignOf, refundEvent, saveOrder, settle, sharesOf } from './order-state';

const base = z.object({ orderId: z.string().min(1).max(64), storeId: z.string().regex(/^[A-Z0-9]{2,12}$/) });
const handOverV1 = base.extend({ code: z.string().trim().min(1, 'Type or scan the order code').max(40) });
const shortV1 = base.extend({ sku: z.string().min(1).max(64) });
/**
 * [PQ1] v2: what to do with the short line. `cancel` refunds it (what v1 always did); `reassign` sends
 * it back to sourcing without `from`, the location the tablet saw it reserved at (default: this store).
 */
const shortV2 = shortV1.extend({
  resolve: z.enum(['cancel', 'reassign'], 'Choose to find the line elsewhere or to cancel it with a refund'),
  from: z.string().regex(/^[A-Z0-9]{2,12}$/, 'A location is named by its code, such as S02').optional(),
});
export type MarkShortPayload = z.infer<typeof shortV2>;

type Base = z.infer<typeof base>;
const STAFF: readonly PrincipalRole[] = ['associate', 'cashier', 'manager'];

/** [PQ3] The order code is the order number the customer's notice shows; spaces and case do not matter. */
export const codeMatches = (o: OrderRow, code: string) => code.replace(/\s+/g, '').toUpperCase() === o.number.toUpperCase();

type Step = (b: Builder, o: OrderRow, cmd: Command<never>, at: string, now: number, ctx: HandlerContext) => Promise<{ status: OrderStatus; events: NonNullable<OrderRow['history']>; order?: OrderRow } | 'noop'>;

/** Older payloads a transition still accepts, and how they become the current one [C6]. */
type Versions = Pick<CommandDef<unknown>, 'version' | 'schemas' | 'upcast'>;

function transition<P extends Base>(type: string, schema: z.ZodType<P>, roles: readonly PrincipalRole[], step: Step, versions?: Versions): CommandDef<P> {
  return {
    type,
    version: 1,
    schemas: { 1: schema },
    ...versions,
    roles,
    storeOf: (p) => p.storeId,
    streams: (p) => [`store:${p.storeId}`],
    // [J3][M1] An order sourced at another location is in its stream too: read it to know.
    async plan({ tx }, cmd) {
      const o = await tx.get('orders', cmd.payload.orderId);
      return o ? (orderStreams(o) as StreamName[]) : [];
    },
    prefetch: (p) => [{ table: 'orders', keys: [p.orderId] }],
    async handle(ctx, cmd) {
      const b = new EffectsBuilder(ctx.tx);
      const o = await loadOrder(b, cmd.payload.orderId);
      if (o.storeId !== cmd.payload.storeId) fail('out-of-scope', `Order ${o.number} is collected at ${o.storeId}, not ${cmd.payload.storeId}.`);
      const now = nowOf(ctx, cmd);
      const r = await step(b, o, cmd as Command<never>, new Date(now).toISOString(), now, ctx);
      if (r === 'noop') b.summary = { number: o.number, status: o.status, noop: true };
      else {
        saveOrder(b, r.order ?? o, r.status, r.events);
        b.summary = { number: o.number, status: r.status };
      }
      return b.done();
    },
  };
}

export const orderStartPicking = transition('order.start-picking', base, STAFF, async (_b, o, _c, at) => {
  if (o.status === 'picking') return 'noop';
  if (o.status !== 'placed') invalidTransition(o, 'start picking');
  return { status: 'picking', events: [{ kind: 'picking', at }] };
});

export const orderMarkReady = transition('order.mark-ready', base, STAFF, async (b, o, _c, at, now) => {
  if (o.status === 'ready') return 'noop';
  if (o.status !== 'picking' && o.status !== 'placed') invalidTransition(o, 'be marked ready');
  if (openLines(o).length === 0) invalidTransition(o, 'be marked ready with every line short');
  // [PQ1] A line the server is still sourcing, or that no location has, is not in the bag yet.
  const open = openLines(o).find((l) => reassignOf(o, l.sku)?.state === 'sourcing' || reassignOf(o, l.sku)?.state === 'unsourceable');
  if (open) fail('line-undecided', `Order ${o.number} cannot be ready: ${open.name} (${open.sku}) is ${reassignOf(o, open.sku)!.state === 'sourcing' ? 'still being found at another location' : 'not at any location'}. Wait for it, or cancel that line with a refund.`, { orderId: o.id, sku: open.sku });
  const store = await b.get('locations', o.storeId);
  const days = store?.pickupExpiryDays ?? DEFAULT_EXPIRY_DAYS;
  notice(b, o, 'ready-for-pickup', { code: o.number, collectBy: new Date(now + days * DAY_MS).toISOString() });
  // [J2] Ready → expired after N days, run once by the server's schedule.
  b.followUp({ kind: 'order.expire', key: o.id, runAt: now + days * DAY_MS, payload: { orderId: o.id, storeId: o.storeId } });
  return { status: 'ready', events: [{ kind: 'ready', at }] };
});

export const orderHandOver = transition('order.hand-over', handOverV1, STAFF, async (b, o, cmd, at, now) => {
  if (o.status === 'collected') return 'noop';
  if (o.status !== 'ready') invalidTransition(o, 'be handed over');
  const { code } = cmd.payload as z.infer<typeof handOverV1>;
  if (!codeMatches(o, code)) fail('wrong-order-code', `The code ${code} is not order ${o.number}'s; ask the customer for the code in their notice, or scan it.`);
  await settle(b, cmd, o, openLines(o), 'fulfil', now);
  return { status: 'collected', events: [{ kind: 'collected', at }] };
});

/**
 * [PQ1][PQ5] Mark a line short: `cancel` releases its reservation and refunds it; `reassign` releases it
 * and asks the server to source the line again without the locations it was reserved at
 * (order.reassign-line, a follow-up [J1]). The same choice twice is harmless: a line cancelled already,
 * a line the server is still sourcing, or one already moved away from `from` is a no-op. Reassigning a
 * line cancelled meanwhile is refused in words; cancelling a reassigned line refunds it wherever it is.
 */
export const orderMarkShort = transition(
  'order.mark-short',
  shortV2,
  STAFF,
  async (b, o, cmd, at, now) => {
    const p = cmd.payload as MarkShortPayload;
    const line = o.lines.find((l) => l.sku === p.sku);
    if (!line) fail('unknown-line', `Order ${o.number} has no line for ${p.sku}.`);
    if ((o.shortSkus ?? []).includes(p.sku)) {
      if (p.resolve === 'cancel') return 'noop';
      fail('invalid-transition', `${line!.name} on order ${o.number} was cancelled and refunded already, so it cannot be found elsewhere; another tablet got there first.`, { orderId: o.id, status: o.status, sku: p.sku });
    }
    if (o.status !== 'placed' && o.status !== 'picking') invalidTransition(o, 'have a line marked short');
    return p.resolve === 'reassign' ? reassignLine(b, o, cmd, line!, p.from ?? p.storeId, at, now) : cancelLine(b, o, cmd, line!, at, now);
  },
  { version: 2, schemas: { 1: shortV1, 2: shortV2 }, upcast: (v, p) => (v === 1 ? { ...(p as object), resolve: 'cancel' } : p) },
);

async function reassignLine(b: Builder, o: OrderRow, cmd: Command<never>, line: OrderRow['lines'][number], from: string, at: string, now: number) {
  const before = reassignOf(o, line.sku);
  if (before?.state === 'sourcing') return 'noop' as const;
  const shares = sharesOf(o, [line]);
  // Moved away from `from` already (another tablet's reassignment arrived first): nothing is short there now.
  if (before?.state !== 'unsourceable' && !shares.some((x) => x.locationId === from)) return 'noop' as const;
  await settle(b, cmd, o, [line], 'release', now);
  // Only locations the order is in already: a tablet may not add a stream to an order [M1][O3].
  const shortAt = [...new Set([...(before?.shortAt ?? []), ...shares.map((x) => x.locationId as LocationId)])];
  const entry: LineReassign = { sku: line.sku, shortAt, state: 'sourcing', shares: [], request: cmd.id, at };
  const next: OrderRow = { ...o, reassigned: [...(o.reassigned ?? []).filter((r) => r.sku !== line.sku), entry] };
  b.followUp({ kind: 'order.reassign-line', key: cmd.id, payload: { orderId: o.id, sku: line.sku, request: cmd.id } });
  return { status: o.status, events: [{ kind: 'reassigning' as const, at, sku: line.sku, from: from as LocationId }], order: next };
}

async function cancelLine(b: Builder, o: OrderRow, cmd: Command<never>, line: OrderRow['lines'][number], at: string, now: number) {
  const sku = line.sku;
  await settle(b, cmd, o, [line], 'release', now);
  const events = [{ kind: 'short' as const, at, sku }, ...refundEvent(b, o, [line], at)];
  o = { ...o, shortSkus: [...(o.shortSkus ?? []), sku] };
  // Every line short: nothing is left to pick, the order is cancelled.
  if (openLines(o).length === 0) return { status: 'cancelled' as const, events: [...events, { kind: 'cancelled' as const, at }], order: o };
  return { status: o.status, events, order: o };
}

export const orderCancel = transition('order.cancel', base, STAFF, async (b, o, cmd, at, now) => {
  if (o.status === 'cancelled') return 'noop';
  if (o.status !== 'placed' && o.status !== 'picking' && o.status !== 'ready') invalidTransition(o, 'be cancelled');
  const lines = openLines(o);
  await settle(b, cmd, o, lines, 'release', now);
  return { status: 'cancelled', events: [{ kind: 'cancelled', at }, ...refundEvent(b, o, lines, at)] };
});

/** [PQ1][J2] The schedule's expiry: only a ready order expires; one collected or cancelled meanwhile stays as it is. */
export const orderExpire = transition('order.expire', base, ['system'], async (b, o, cmd, at, now) => {
  if (o.status !== 'ready') return 'noop';
  const lines = openLines(o);
  await settle(b, cmd, o, lines, 'release', now);
  notice(b, o, 'expired', {});
  return { status: 'expired', events: [{ kind: 'expired', at }, ...refundEvent(b, o, lines, at)] };
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PICKUP_COMMANDS: CommandDef<any>[] = [orderStartPicking, orderMarkReady, orderHandOver, orderMarkShort, orderCancel, orderExpire];
