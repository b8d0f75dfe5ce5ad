// What the simulated associates do: one generator per command type the registry has. A new command
// type plugs in here (a `SimCommand`: how to make a plausible one, and whether it may be made to fail)
// and in model.ts (what it should do to the state); sim.test.ts fails while either is missing.
import type { VitrineDb } from '../../../src/db/schema';
import type { Allocators } from '../../../src/db/dispatch';
import type { GeneratedChain } from '../../src/seed/generate';
import { CASH_MOVE_REASONS, type AssociateRow, type CustomerField, type ShiftRow } from '../../../src/core/model';
import { getDevice } from '../../../src/db/device';
import { ADJUST_REASONS } from '../../../src/core/loyalty/loyalty-config';
import { adjustSubject } from '../../../src/core/loyalty/points-adjust';
import type { Rng } from './prng';
import type { ChainFacts } from './model';

/** What the oracle expects the server to answer for a command. */
export type Expectation = { status: 'applied'; noop?: boolean; byArrival?: boolean } | { status: 'rejected'; code: string; byArrival?: boolean };

export interface Plan {
  /** The command type, when the plan is for another type than the SimCommand's own. */
  type?: string;
  actor: string;
  payload: (a: Allocators) => unknown;
  expect: Expectation;
  /** May the "rejected command" fault give it an actor the server refuses? (Not a new customer's first write: others build on it.) */
  rejectable: boolean;
  /** Called once the command is committed on the tablet. */
  dispatched?: () => void;
  /** A variant worth counting in the run's report (e.g. "loyalty-redemption"). */
  variant?: string;
}

export interface WorkloadTablet {
  name: string;
  storeId: string;
  db: VitrineDb;
}

export interface Workload {
  rng: Rng;
  chain: GeneratedChain;
  facts: ChainFacts;
  associates: readonly AssociateRow[];
  /** Customers this tablet may name: the chain's, those the server holds, and those it created itself. */
  customersFor(t: WorkloadTablet): string[];
  /** The tier a customer started with (its points rate never changes during a run, see ChainFacts.sameRate). */
  tierOf(customerId: string): string;
  /** Records a customer a tablet just created (`private`: only this tablet will ever name it). */
  created(customerId: string, t: WorkloadTablet, only?: boolean): void;
  /** [CL4] Customers this tablet created that no other tablet ever names. */
  privateOf(t: WorkloadTablet): string[];
  /** [LO1] The server reviewed this customer's tier: from now on no tablet edits it, nor merges the profile. */
  tierFixed(customerId: string): boolean;
  /** [CL4] A merge was dispatched: nobody names the merged profile again. */
  merged(mergedId: string): void;
  /** [W1] SKUs kept for web orders: no sale or return moves them, so every order is sourced at its pickup store. */
  orderSkus: ReadonlySet<string>;
  /** [PQ1] The orders of this run (web and till), by id, with the store that collects each. */
  webOrders: ReadonlyMap<string, string>;
  /** [OR1] The SKU kept for orders from the till (only the warehouse holds it), and how many the warehouse still covers. */
  tillSku: { sku: string; free: number } | undefined;
  /** [OR1] A till order was dispatched: the pickup queue may work it, and the warehouse covers less. */
  tillOrdered(orderId: string, storeId: string, qty: number): void;
  /**
   * [PQ1] A line of an order collected at `storeId` was sent back to sourcing: the server may reserve
   * it at any other store, so every other store orders that much less of the SKU from now on (web
   * orders there stay covered by their own store whatever it finds).
   */
  reassigning(storeId: string, sku: string, qty: number): void;
  /**
   * [RO3][T2] A manager's approval of `subject` on this device, made from the manager's PIN digest as
   * the server keeps it (as the server tests' approvalBy does); `forged`: made without that PIN.
   */
  approve(by: string, deviceId: string, at: number, subject: unknown, forged?: boolean): Promise<{ by: string; at: number; subject: unknown; mac: string }>;
}

export interface SimCommand {
  type: string;
  /** Relative frequency in the chaotic phase. */
  weight: number;
  /** A plausible command for this tablet now, or undefined when there is nothing to do (e.g. no exception to resolve). */
  plan(w: Workload, t: WorkloadTablet): Promise<Plan | undefined>;
}

const FIRST = ['Ana', 'Bruno', 'Chiara', 'Diego', 'Elena', 'Fabio', 'Greta', 'Hugo'];
const LAST = ['Silva', 'Rossi', 'Costa', 'Bianchi', 'Santos', 'Ferreira'];
const NOTES = ['Prefers size 38', 'Asked about the spring collection', 'Gift for her sister', 'Call when the blue one is back', 'Allergic to wool'];
const applied: Expectation = { status: 'applied' };

function randomChanges(rng: Rng, tiers: readonly string[]): Partial<Record<CustomerField, string>> {
  const c: Partial<Record<CustomerField, string>> = {};
  const fields: CustomerField[] = ['firstName', 'lastName', 'email', 'phone', 'birthday', ...(tiers.length ? (['tier'] as const) : [])];
  for (const f of rng.shuffle([...fields]).slice(0, rng.int(1, 3))) {
    const tag = rng.int(0, 999);
    c[f] =
      f === 'firstName' ? rng.pick(FIRST)
      : f === 'lastName' ? rng.pick(LAST)
      : f === 'email' ? (rng.chance(0.1) ? '' : `c${tag}@example.com`)
      : f === 'phone' ? (rng.chance(0.1) ? '' : `+351 91${String(tag).padStart(3, '0')} 4${rng.int(100, 999)}`)
      : f === 'birthday' ? `19${rng.int(50, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`
      : rng.pick(tiers);
  }
  return c;
}

const staff = (w: Workload, t: WorkloadTablet, roles: readonly string[]) => w.associates.filter((a) => a.storeId === t.storeId && a.active && roles.includes(a.role));

/** The shift open on this tablet's register, as the tablet shows it (undefined: none). */
async function openShiftHere(t: WorkloadTablet): Promise<ShiftRow | undefined> {
  const device = await getDevice(t.db);
  const register = device ? await t.db.registers.get(device.deviceId) : undefined;
  const shift = register?.openShiftId ? await t.db.shifts.get(register.openShiftId) : undefined;
  return shift?.status === 'open' ? shift : undefined;
}

/** [CL3] A new profile under an id the tablet mints (`private`: only this tablet will name it). */
function createPlan(w: Workload, t: WorkloadTablet, only?: boolean): Plan {
  const { rng } = w;
  const actor = rng.pick(staff(w, t, ['associate', 'cashier', 'manager'])).id;
  let id = '';
  const profile = { ...randomChanges(rng, w.facts.sameRate('')), firstName: rng.pick(FIRST), lastName: rng.pick(LAST) };
  return {
    type: 'customer.create',
    actor,
    expect: applied,
    rejectable: false,
    payload: (a) => ({ customerId: (id = a.newId()), profile }),
    dispatched: () => w.created(id, t, only),
  };
}

const drawer = (x: ShiftRow) => x.float + x.totals.cashIn - x.totals.cashOut;

export const SIM_COMMANDS: readonly SimCommand[] = [
  {
    type: 'sale.complete',
    weight: 32,
    async plan(w, t) {
      const { rng, chain } = w;
      const loc = chain.locations.find((l) => l.id === t.storeId)!;
      const till = staff(w, t, ['cashier', 'manager']);
      const actor = t.storeId === 'S01' && rng.chance(0.7) ? 'A-S01-CARLOS' : rng.pick(till).id;
      const lines = Array.from({ length: rng.int(1, 3) }, () => {
        const v = rng.pick(chain.variants.filter((x) => !w.orderSkus.has(x.sku)));
        return { sku: v.sku as string, qty: rng.int(1, 3), unitPrice: (v.prices[loc.currency] as number | undefined) ?? 1000 };
      });
      const total = w.facts.saleTotal(t.storeId, lines);
      const known = w.customersFor(t);
      const customerId = rng.chance(0.4) ? rng.pick(known) : undefined;
      // [LO3] A redemption: part of the sale paid with the points the tablet shows. Another tablet may
      // redeem the same points meanwhile: the server applies both and flags the overdraft [C5].
      const balance = customerId && rng.chance(0.35) ? ((await t.db.customers.get(customerId))?.points ?? 0) : 0;
      const redeem = balance > 0 ? rng.int(1, Math.min(balance, total)) : 0;
      const cash = total - redeem + (redeem < total || rng.chance(0.5) ? rng.int(0, 500) : 0);
      const tenders = [...(redeem ? [{ kind: 'loyalty', amount: redeem }] : []), ...(cash > 0 ? [{ kind: 'cash', amount: cash }] : [])];
      return {
        actor,
        expect: applied,
        rejectable: true,
        payload: (a) => ({ saleId: a.newId(), storeId: t.storeId, receiptNo: a.receiptNo(), currency: loc.currency, ...(customerId ? { customerId } : {}), lines, tenders }),
        ...(redeem ? { variant: 'loyalty-redemption' } : {}),
      };
    },
  },
  {
    type: 'customer.update',
    weight: 14,
    async plan(w, t) {
      const { rng } = w;
      const actor = rng.pick(staff(w, t, ['associate', 'cashier', 'manager'])).id;
      // Half the edits go to a few "regulars", so several tablets edit the same fields out of order.
      const known = w.customersFor(t);
      const customerId = rng.pick(rng.chance(0.5) ? known.slice(0, 4) : known);
      // [LO1] A reviewed customer's tier is the server's now: an edit from a tablet's older copy would undo it.
      const changes = randomChanges(rng, w.tierFixed(customerId) ? [] : w.facts.sameRate(w.tierOf(customerId)));
      return { actor, expect: applied, rejectable: true, payload: () => ({ customerId, changes }) };
    },
  },
  {
    // [CL3] A new profile, created offline under an id the tablet mints; later edits build on it.
    type: 'customer.create',
    weight: 3,
    plan: async (w, t) => createPlan(w, t),
  },
  {
    // [CL4] A manager merges two profiles this tablet created and no other tablet names, so the
    // result does not depend on the order in which the server meets other tablets' commands.
    type: 'customer.merge',
    weight: 12,
    async plan(w, t) {
      const { rng } = w;
      const managers = staff(w, t, ['manager']);
      const mine = [];
      for (const id of w.privateOf(t)) if (!w.tierFixed(id) && (await t.db.customers.get(id))) mine.push(id);
      if (managers.length === 0) return undefined;
      // Not two such profiles yet: the manager first creates the duplicate (a customer.create).
      if (mine.length < 2) return createPlan(w, t, true);
      const [survivorId, mergedId] = rng.shuffle(mine).slice(0, 2) as [string, string];
      return { actor: rng.pick(managers).id, expect: applied, rejectable: true, payload: () => ({ survivorId, mergedId }), dispatched: () => w.merged(mergedId) };
    },
  },
  {
    type: 'note.add',
    weight: 6,
    async plan(w, t) {
      const { rng } = w;
      const actor = rng.pick(staff(w, t, ['associate', 'cashier', 'manager'])).id;
      const customerId = rng.pick(w.customersFor(t));
      const text = `${rng.pick(NOTES)} (${rng.int(1, 99)})`;
      return { actor, expect: applied, rejectable: true, payload: (a) => ({ noteId: a.newId(), customerId, text }) };
    },
  },
  {
    // [W3] A receipt e-mailed: one notification per applied command, none for a rejected one. Each
    // goes to an address of its own, so the oracle can count them exactly.
    type: 'receipt.email',
    weight: 3,
    async plan(w, t) {
      const { rng } = w;
      // A sale the server has (it has a version): one the server refused has nothing to e-mail.
      const sales = await t.db.sales.orderBy('at').reverse().filter((x) => x.storeId === t.storeId && x._v !== undefined).limit(40).toArray();
      if (sales.length === 0) return undefined;
      const sale = rng.pick(sales);
      const actor = rng.pick(staff(w, t, ['associate', 'cashier', 'manager'])).id;
      const email = `receipt-${t.name.replace('/', '-').toLowerCase()}-${rng.int(0, 1e9)}@example.com`;
      return { actor, expect: applied, rejectable: true, payload: () => ({ saleId: sale.id, storeId: t.storeId, email }) };
    },
  },
  {
    // [SH1] The cashier counts a float into the drawer: only when the tablet shows no open shift.
    type: 'shift.open',
    weight: 6,
    async plan(w, t) {
      const { rng } = w;
      const till = staff(w, t, ['cashier', 'manager']);
      if (till.length === 0 || (await openShiftHere(t))) return undefined;
      const float = rng.int(50, 300) * 100;
      return { actor: rng.pick(till).id, expect: applied, rejectable: true, payload: (a) => ({ shiftId: a.newId(), storeId: t.storeId, float }) };
    },
  },
  {
    // [SH2] Cash in or out of the open shift's drawer (out: at most what the tablet says it holds).
    type: 'shift.cash-move',
    weight: 20,
    async plan(w, t) {
      const { rng } = w;
      const till = staff(w, t, ['cashier', 'manager']);
      const shift = await openShiftHere(t);
      if (till.length === 0 || !shift) return undefined;
      const out = rng.chance(0.5) && drawer(shift) > 0;
      const amount = out ? rng.int(1, drawer(shift)) : rng.int(1, 200) * 50;
      const reason = rng.pick(CASH_MOVE_REASONS);
      return { actor: rng.pick(till).id, expect: applied, rejectable: true, payload: (a) => ({ shiftId: shift.id, storeId: t.storeId, moveId: a.newId(), kind: out ? 'out' : 'in', amount, reason }) };
    },
  },
  {
    // [SH2][RO3] A manager counts the drawer and closes the shift; sometimes the count is off.
    type: 'shift.close',
    weight: 5,
    async plan(w, t) {
      const { rng } = w;
      const managers = staff(w, t, ['manager']);
      const shift = await openShiftHere(t);
      if (managers.length === 0 || !shift) return undefined;
      const counted = Math.max(0, drawer(shift) + (rng.chance(0.4) ? rng.int(-2000, 2000) : 0));
      return { actor: rng.pick(managers).id, expect: applied, rejectable: true, payload: () => ({ shiftId: shift.id, storeId: t.storeId, counted }) };
    },
  },
  {
    type: 'exception.resolve',
    weight: 4,
    async plan(w, t) {
      const { rng } = w;
      const managers = staff(w, t, ['manager']);
      // A manager works the queue the tablet shows: exceptions the server sent (they have a version).
      const open = (await t.db.exceptions.toArray()).filter((e) => e.storeId === t.storeId && e._v !== undefined);
      if (managers.length === 0 || open.length === 0) return undefined;
      const unresolved = open.filter((e) => !e.resolved);
      const e = rng.pick(unresolved.length && rng.chance(0.8) ? unresolved : open);
      const note = rng.pick(['Counted the shelf and adjusted', 'Checked with the customer', 'Device replaced', 'Stock transfer booked']);
      return { actor: rng.pick(managers).id, expect: applied, rejectable: true, payload: () => ({ exceptionId: e.id, storeId: t.storeId, note }) };
    },
  },
];

/** Sale lines a workload already took back: each line of a sale is returned once [RE3] (returns helper). */
const returnedLines = new WeakMap<Workload, Set<string>>();

// [RE1][RE5][RE6] Returns, on their own list so other command families merge beside them.
(SIM_COMMANDS as SimCommand[]).push(
  {
    // A whole line of a sale the server holds (no customer on it, so no points move), to store
    // credit for a known customer. Over-returns and cash refunds are covered by returns.test.ts.
    type: 'return.create',
    weight: 4,
    async plan(w, t) {
      const { rng } = w;
      const loc = w.chain.locations.find((l) => l.id === t.storeId)!;
      const done = returnedLines.get(w) ?? new Set<string>();
      returnedLines.set(w, done);
      const sales = (await t.db.sales.toArray()).filter((x) => x._v !== undefined && !x.customerId && x.storeId === t.storeId && x.currency === loc.currency && x.deviceId !== 'seed');
      const options = sales.flatMap((x) => x.lines.map((l, i) => ({ sale: x, line: l, i }))).filter((o) => !done.has(`${o.sale.id}:${o.i}`) && o.line.qty * o.line.unitPrice <= 40_000 && !o.line.discount);
      const till = staff(w, t, ['cashier', 'manager']);
      if (options.length === 0 || till.length === 0) return undefined;
      const o = rng.pick(options);
      const customerId = rng.pick(w.customersFor(t));
      const lines = o.sale.lines.map((l) => ({ sku: l.sku as string, name: l.name, qty: l.qty, lineTotal: w.facts.saleTotal(t.storeId, [{ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice }]) }));
      const snapshot = { storeId: o.sale.storeId, at: 0, currency: o.sale.currency, lines, total: lines.reduce((a, l) => a + l.lineTotal, 0), paid: {}, pointsEarned: 0, pointsSpent: 0 };
      const disposition = rng.chance(0.7) ? 'restock' : 'damaged';
      return {
        actor: rng.pick(till).id,
        expect: applied,
        rejectable: true,
        payload: (a) => ({
          returnId: a.newId(),
          receiptNo: a.receiptNo(),
          storeId: t.storeId,
          currency: loc.currency,
          purchase: { kind: 'sale', id: o.sale.id, number: o.sale.receiptNo, snapshot },
          customerId,
          lines: [{ line: o.i, sku: o.line.sku, qty: o.line.qty, disposition, reason: 'changed-mind' }],
          refundTo: 'store-credit',
        }),
        dispatched: () => done.add(`${o.sale.id}:${o.i}`),
      };
    },
  },
  {
    type: 'return.email',
    weight: 1,
    async plan(w, t) {
      const r = (await t.db.returns.toArray()).filter((x) => x._v !== undefined && x.storeId === t.storeId);
      if (r.length === 0) return undefined;
      const pick = w.rng.pick(r);
      return { actor: w.rng.pick(staff(w, t, ['associate', 'cashier', 'manager'])).id, expect: applied, rejectable: true, payload: () => ({ returnId: pick.id, storeId: t.storeId, email: 'someone@example.com' }) };
    },
  },
);

/** An actor the server refuses: nobody by that id, or (for a sale) an associate who may not sell. */
export function rejectedActor(w: Workload, t: WorkloadTablet, type: string): { actor: string; expect: Expectation } {
  const plain = staff(w, t, ['associate']);
  if (type === 'sale.complete' && plain.length && w.rng.chance(0.5)) return { actor: w.rng.pick(plain).id, expect: { status: 'rejected', code: 'forbidden' } };
  return { actor: `A-${t.storeId}-GONE`, expect: { status: 'rejected', code: 'unknown-actor' } };
}

/** Pickup transitions made per order: a few each, so the oracle's search over arrival orders stays small. */
const transitionsMade = new WeakMap<Workload, Map<string, number>>();
const MAX_TRANSITIONS_PER_ORDER = 6;

/**
 * [PQ1][PQ5] A pickup transition on a web order this tablet's store collects, from a state the
 * tablet shows that allows it, or (sometimes) the same transition again, which changes nothing.
 * Two tablets of a store may work one order offline at once: which of two conflicting transitions
 * the server applies depends on arrival, so the expectation is `byArrival` and the oracle settles it
 * (oracle.ts, settleOrders).
 */
function pickup(type: string, weight: number, from: readonly string[], to: string): SimCommand {
  return {
    type,
    weight,
    async plan(w, t) {
      const made = transitionsMade.get(w) ?? new Map<string, number>();
      transitionsMade.set(w, made);
      const ids = [...w.webOrders].filter(([id, store]) => store === t.storeId && (made.get(id) ?? 0) < MAX_TRANSITIONS_PER_ORDER).map(([id]) => id);
      const orders = (await t.db.orders.bulkGet(ids)).filter((o) => o !== undefined);
      const able = orders.filter((o) => from.includes(o.status) || (o.status === to && w.rng.chance(0.15)));
      if (able.length === 0) return undefined;
      // Till orders are fewer and arrive later (sourced by the server first): they go first more often.
      const till = able.filter((o) => o.channel === 'store');
      const o = w.rng.pick(till.length && w.rng.chance(0.6) ? till : able);
      return {
        actor: w.rng.pick(staff(w, t, ['associate', 'cashier', 'manager'])).id,
        expect: { status: 'applied', byArrival: true },
        rejectable: true,
        payload: () => ({ orderId: o.id, storeId: t.storeId, ...(type === 'order.hand-over' ? { code: o.number } : {}) }),
        dispatched: () => made.set(o.id, (made.get(o.id) ?? 0) + 1),
        ...(o.status === to ? { variant: 'pickup-same-transition-twice' } : {}),
      };
    },
  };
}

/**
 * [PQ1][PQ5] A line of an order in the pickup queue is marked short: cancelled with a refund, or sent
 * back to sourcing without the location the tablet sees it reserved at (`from`, sometimes left to its
 * default, this store); now and then one already short or already being found again (the same choice
 * twice, a no-op, or refused). Its answer depends on arrival like any pickup transition.
 */
const markShort: SimCommand = {
  type: 'order.mark-short',
  weight: 6,
  async plan(w, t) {
    const made = transitionsMade.get(w) ?? new Map<string, number>();
    transitionsMade.set(w, made);
    const ids = [...w.webOrders].filter(([id, store]) => store === t.storeId && (made.get(id) ?? 0) < MAX_TRANSITIONS_PER_ORDER).map(([id]) => id);
    const orders = (await t.db.orders.bulkGet(ids)).filter((o): o is NonNullable<typeof o> => o !== undefined && (o.status === 'placed' || o.status === 'picking'));
    if (orders.length === 0) return undefined;
    const o = w.rng.pick(orders);
    const open = o.lines.filter((l) => !(o.shortSkus ?? []).includes(l.sku));
    const line = w.rng.pick(open.length && w.rng.chance(0.9) ? open : o.lines);
    const r = (o.reassigned ?? []).find((x) => x.sku === line.sku);
    const at = r ? r.shares.map((x) => x.locationId as string) : o.storeOrder?.allocations ? o.storeOrder.allocations.filter((a) => a.sku === line.sku).map((a) => a.locationId as string) : [o.storeId as string];
    const resolve = w.rng.chance(0.65) ? 'reassign' : 'cancel';
    const from = at.length ? w.rng.pick(at) : undefined;
    const again = (o.shortSkus ?? []).includes(line.sku) || r?.state === 'sourcing';
    return {
      actor: w.rng.pick(staff(w, t, ['associate', 'cashier', 'manager'])).id,
      expect: { status: 'applied', byArrival: true },
      rejectable: true,
      payload: () => ({ orderId: o.id, storeId: t.storeId, sku: line.sku, resolve, ...(from && (from !== t.storeId || w.rng.chance(0.5)) ? { from } : {}) }),
      dispatched: () => {
        made.set(o.id, (made.get(o.id) ?? 0) + 1);
        if (resolve === 'reassign') w.reassigning(t.storeId, line.sku, line.qty);
      },
      variant: `mark-short-${resolve}${again ? ' (again)' : ''}`,
    };
  },
};

(SIM_COMMANDS as SimCommand[]).push(
  markShort,
  pickup('order.start-picking', 10, ['placed'], 'picking'),
  pickup('order.mark-ready', 10, ['placed', 'picking'], 'ready'),
  pickup('order.hand-over', 8, ['ready'], 'collected'),
  pickup('order.cancel', 4, ['placed', 'picking', 'ready'], 'cancelled'),
);

/**
 * Types the harness issues through another origin than a tablet [O1]: web orders through the
 * channel route (`POST /api/v1/channels/web/orders`), and the schedule's expiry through the admin's
 * run-now, an erasure through the admin API, and the follow-ups (an erasure's anonymising, a till
 * order's sourcing and the settling of its share at the warehouse) through the jobs worker (sim.ts). Their models are in model.ts like every other type's.
 */
export const ORIGIN_COMMANDS: readonly string[] = ['order.place', 'order.expire', 'customer.erase', 'customer.erase-records', 'order.source', 'order.settle-share', 'order.reassign-line', 'loyalty.expire', 'loyalty.tier-review'];

/** A UUID (v4 layout) from the run's PRNG: the id a tablet mints for an adjustment before its approval. */
function uuidOf(w: Workload): string {
  const b = w.rng.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// [LO2][RO3][T2] A points adjustment made on a profile and approved there by a manager's PIN, for exactly
// it. Adds points only: a deduction's answer (points-below-zero) would depend on the order the server
// meets other tablets' redemptions. Now and then the approval is not what the server can accept: made
// without the manager's PIN (the server refuses it: unverified-actor, since nothing was handed over),
// or for another amount (the tablet itself refuses it: approval-required).
(SIM_COMMANDS as SimCommand[]).push({
  type: 'loyalty.adjust',
  weight: 4,
  async plan(w, t) {
    const { rng } = w;
    const managers = staff(w, t, ['manager']);
    const device = await getDevice(t.db);
    if (managers.length === 0 || !device) return undefined;
    const customerId = rng.pick(w.customersFor(t));
    const points = rng.int(1, 2000);
    const reason = rng.pick(ADJUST_REASONS);
    const adjustmentId = uuidOf(w);
    const variant = rng.weighted({ approved: 70, forged: 25, 'other-amount': 5 });
    const subject = adjustSubject({ adjustmentId, customerId, points: variant === 'other-amount' ? points + 1 : points, reason });
    const approval = await w.approve(rng.pick(managers).id, device.deviceId, Date.now(), subject, variant === 'forged');
    return {
      actor: rng.pick(staff(w, t, ['associate', 'cashier', 'manager'])).id,
      expect: variant === 'forged' ? { status: 'rejected', code: 'unverified-actor' } : applied,
      rejectable: variant === 'approved',
      payload: () => ({ adjustmentId, customerId, points, reason, ...(rng.chance(0.5) ? { note: 'Sim adjustment' } : {}), approval }),
      variant: `loyalty-adjust (${variant})`,
    };
  },
});

// [OR1] Ordering from the till for a customer with contact details, collected at this store: paid as a
// sale, sourced by the server at the warehouse (the only holder of the SKU kept for it).
(SIM_COMMANDS as SimCommand[]).push({
  type: 'order.create',
  weight: 8,
  async plan(w, t) {
    const { rng, chain } = w;
    const till = staff(w, t, ['cashier', 'manager']);
    const kept = w.tillSku;
    if (!kept || kept.free < 1 || till.length === 0) return undefined;
    const customerId = rng.pick(w.customersFor(t));
    const c = await t.db.customers.get(customerId);
    if (!c || (!c.email && !c.phone)) return undefined;
    const loc = chain.locations.find((l) => l.id === t.storeId)!;
    const v = chain.variants.find((x) => x.sku === kept.sku)!;
    const qty = rng.int(1, Math.min(2, kept.free));
    const lines = [{ sku: kept.sku, qty, unitPrice: (v.prices[loc.currency] as number | undefined) ?? 1000 }];
    const total = w.facts.saleTotal(t.storeId, lines);
    const cash = total + (rng.chance(0.5) ? rng.int(0, 500) : 0);
    let orderId = '';
    return {
      actor: rng.pick(till).id,
      expect: { status: 'applied' },
      // Refused, it would keep its order on the tablet as a sale keeps its receipt [SE3]: not modelled.
      rejectable: false,
      payload: (a) => ({
        saleId: a.newId(),
        orderId: (orderId = a.newId()),
        storeId: t.storeId,
        receiptNo: a.receiptNo(),
        currency: loc.currency,
        customerId,
        lines,
        tenders: [{ kind: 'cash', amount: cash }],
        fulfillment: { kind: 'ship-store' },
        seen: [{ sku: kept.sku, where: [{ locationId: 'W01', available: kept.free }] }],
      }),
      dispatched: () => w.tillOrdered(orderId, t.storeId, qty),
    };
  },
});
