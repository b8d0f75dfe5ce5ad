// Pickup transitions as commands [PQ1][PQ3][PQ5]: start picking, mark ready, hand over, mark a line
// short, cancel, and the server's expiry. The same transition twice is applied as a no-op; a
// conflicting one (arrival order decides) is `rejected: invalid-transition`, in words.
import { z } from 'zod';
import type { CommandDef, EffectsBuilder as Builder, Command, HandlerContext, PrincipalRole } from '../sync/command';
import { EffectsBuilder, nowOf } from '../sync/command';
import type { OrderRow, OrderStatus, StreamName } from '../model';
import { fail } from '../shared/errors';
import { DAY_MS, DEFAULT_EXPIRY_DAYS, invalidTransition, loadOrder, notice, openLines, orderStreams, refundEvent, saveOrder, settle } from './order-state';

const base = z.object({ orderId: z.string().min(1).max(64), storeId: z.string().regex(/^[A-Z0-9]{2,12}$/) });
const handOverV1 = base.extend({ code: z.string().trim().min(1, 'Type or scan the order code').max(40) });
const shortV1 = base.extend({ sku: z.string().min(1).max(64) });

type Base = z.infer<typeof base>;
const STAFF: readonly PrincipalRole[] = ['associate', 'cashier', 'manager'];

/** [PQ3] The order code is the order number the customer's notice shows; spaces and case do not matter. */
export const codeMatches = (o: OrderRow, code: string) => code.replace(/\s+/g, '').toUpperCase() === o.number.toUpperCase();

type Step = (b: Builder, o: OrderRow, cmd: Command<never>, at: string, now: number, ctx: HandlerContext) => Promise<{ status: OrderStatus; events: NonNullable<OrderRow['history']>; order?: OrderRow } | 'noop'>;

function transition<P extends Base>(type: string, schema: z.ZodType<P>, roles: readonly PrincipalRole[], step: Step): CommandDef<P> {
  return {
    type,
    version: 1,
    schemas: { 1: schema },
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

export const orderMarkShort = transition('order.mark-short', shortV1, STAFF, async (b, o, cmd, at, now) => {
  const { sku } = cmd.payload as z.infer<typeof shortV1>;
  const line = o.lines.find((l) => l.sku === sku);
  if (!line) fail('unknown-line', `Order ${o.number} has no line for ${sku}.`);
  if ((o.shortSkus ?? []).includes(sku)) return 'noop';
  if (o.status !== 'placed' && o.status !== 'picking') invalidTransition(o, 'have a line marked short');
  await settle(b, cmd, o, [line!], 'release', now);
  const events = [{ kind: 'short' as const, at, sku }, ...refundEvent(b, o, [line!], at)];
  o = { ...o, shortSkus: [...(o.shortSkus ?? []), sku] };
  // Every line short: nothing is left to pick, the order is cancelled.
  if (openLines(o).length === 0) return { status: 'cancelled', events: [...events, { kind: 'cancelled', at }], order: o };
  return { status: o.status, events, order: o };
});

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
