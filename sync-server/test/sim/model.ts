// The simulation's oracle model: what the chain's state SHOULD be, computed from what the tablets did,
// with its own arithmetic — never by asking the system under test. Each command type the simulation
// issues has a model here (`MODELS`), a pure function that applies one command to a ModelState; the
// same function serves the end check (every applied command, in an order the server could have used)
// and the running check [P5] (the server's current state plus one tablet's pending commands).
import type { Envelope } from '../../../src/core/sync/protocol';
import type { GeneratedChain } from '../../src/seed/generate';
import { canonicalJson } from '../../../src/core/shared/canonical';
import { CUSTOMER_FIELDS, type CustomerField, type Tables } from '../../../src/core/model';

/** What the oracle knows of a customer: the merged fields with their clocks, and the money figures. */
export interface CustomerModel {
  fields: Record<CustomerField, string>;
  clock: Partial<Record<CustomerField, string>>;
  points: number;
  lifetimeSpend: number;
  /** [RE5] Store credit: returns credit it exactly once. */
  storeCredit: number;
}

export interface SaleModel {
  receiptNo: string;
  storeId: string;
  deviceId: string;
  customerId: string | null;
  total: number;
}

export interface NoteModel {
  customerId: string;
  text: string;
  author: string;
}

export interface ExceptionModel {
  storeId: string;
  kind: string;
  resolved: { by: string; note: string } | null;
}

/** A register shift [SH1]–[SH2]: its float, cash moved in and out (sales carry no shift here), and its close. */
export interface ShiftModel {
  deviceId: string;
  storeId: string;
  status: 'open' | 'closed';
  float: number;
  cashIn: number;
  cashOut: number;
  moves: number;
  closed: { by: string; counted: number; expected: number; overShort: number } | null;
}

/** A tablet's drawer: the shift open on it and the last one closed. */
export interface RegisterModel {
  openShiftId: string | null;
  lastShiftId: string | null;
}

/**
 * [PQ1] An order as the oracle follows it: where it is collected, its state, what was refunded, and
 * its lines (what its reservation holds).
 */
export interface OrderModel {
  storeId: string;
  status: string;
  refunded: number;
  /** `paid`: what a till order's line cost with tax, when that is not qty × unit price [OR1]. */
  lines: { sku: string; qty: number; unitPrice: number; paid?: number }[];
  /** [OR2] A till order's shares, once sourced: where each line is reserved. */
  allocations?: { locationId: string; sku: string; qty: number }[];
  /** [PQ1] Lines marked short and cancelled (refunded), by SKU. */
  short?: string[];
  /** [PQ1] Lines marked short and sent back to sourcing: where they were short, and where they are reserved now. */
  reassigned?: ReassignModel[];
}

/** [PQ1] One reassigned line: the mark-short that asked (`request`), and what the server's follow-up found. */
export interface ReassignModel {
  sku: string;
  shortAt: string[];
  state: 'sourcing' | 'sourced' | 'unsourceable';
  shares: { locationId: string; qty: number }[];
  request: string;
}

/**
 * What the order models did, per command, in the server's replay (expectedServer): the movements each
 * should have written (`location|sku|qty`), the shares it asked the system to settle elsewhere
 * (`kind|location|sku|qty`, [OR3]), and anything the server decided that no rule allows.
 */
export interface OrderTrace {
  moves: Map<string, string[]>;
  settles: Map<string, string[]>;
  problems: string[];
}

/** The state the oracle predicts, by table, in the projection it compares (see `project`). */
export interface ModelState {
  stock: Map<string, number>;
  /** [PQ1][W1] Stock held for orders (`stock.reserved`), by stock key; absent when zero. */
  reserved: Map<string, number>;
  orders: Map<string, OrderModel>;
  customers: Map<string, CustomerModel>;
  sales: Map<string, SaleModel>;
  notes: Map<string, NoteModel>;
  exceptions: Map<string, ExceptionModel>;
  shifts: Map<string, ShiftModel>;
  registers: Map<string, RegisterModel>;
  /** [CL4] A merged-away customer → the profile it was merged into. */
  redirects: Map<string, string>;
  /** Set only while the oracle replays the server's run (never compared). */
  trace?: OrderTrace;
}

/** The tables the oracle reads (server and tablet alike). */
export const MODEL_TABLES = ['stock', 'customers', 'sales', 'notes', 'exceptions', 'shifts', 'registers', 'redirects', 'orders'] as const;
/** What it compares: the tables, and the reservations read from the stock rows. */
const COMPARED = [...MODEL_TABLES, 'reserved'] as const;

export const emptyState = (): ModelState => ({ stock: new Map(), reserved: new Map(), orders: new Map(), customers: new Map(), sales: new Map(), notes: new Map(), exceptions: new Map(), shifts: new Map(), registers: new Map(), redirects: new Map() });

export function cloneState(s: ModelState): ModelState {
  return {
    stock: new Map(s.stock),
    reserved: new Map(s.reserved),
    orders: new Map(s.orders),
    customers: new Map([...s.customers].map(([k, c]) => [k, { ...c, fields: { ...c.fields }, clock: { ...c.clock } }])),
    sales: new Map(s.sales),
    notes: new Map(s.notes),
    exceptions: new Map([...s.exceptions].map(([k, e]) => [k, { ...e }])),
    shifts: new Map(s.shifts),
    registers: new Map(s.registers),
    redirects: new Map(s.redirects),
  };
}

/** Reads rows of the modelled tables (server or tablet rows alike) into a ModelState. */
export type ModelRows = { [T in (typeof MODEL_TABLES)[number]]?: readonly Tables[T][] };

export function stateOf(rows: ModelRows): ModelState {
  const s = emptyState();
  for (const r of rows.stock ?? []) {
    s.stock.set(r.key, r.onHand);
    if (r.reserved) s.reserved.set(r.key, r.reserved);
  }
  for (const o of rows.orders ?? []) {
    const allocations = o.storeOrder?.allocations?.map((a) => ({ locationId: a.locationId as string, sku: a.sku, qty: a.qty }));
    const reassigned = o.reassigned?.map((r) => ({ sku: r.sku as string, shortAt: r.shortAt.map(String), state: r.state, shares: r.shares.map((x) => ({ locationId: x.locationId as string, qty: x.qty })), request: r.request }));
    s.orders.set(o.id, {
      storeId: o.storeId,
      status: o.status,
      refunded: o.refunded ?? 0,
      lines: o.lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice, ...(l.paid !== undefined ? { paid: l.paid } : {}) })),
      ...(allocations ? { allocations } : {}),
      ...(o.shortSkus?.length ? { short: o.shortSkus.map(String) } : {}),
      ...(reassigned?.length ? { reassigned } : {}),
    });
  }
  for (const c of rows.customers ?? []) {
    const fields = Object.fromEntries(CUSTOMER_FIELDS.map((f) => [f, c[f]])) as Record<CustomerField, string>;
    s.customers.set(c.id, { fields, clock: { ...c.clock }, points: c.points, lifetimeSpend: c.lifetimeSpend, storeCredit: c.storeCredit });
  }
  for (const x of rows.sales ?? []) s.sales.set(x.id, { receiptNo: x.receiptNo, storeId: x.storeId, deviceId: x.deviceId, customerId: x.customerId ?? null, total: x.total });
  for (const n of rows.notes ?? []) s.notes.set(n.id, { customerId: n.customerId, text: n.text, author: n.author });
  for (const e of rows.exceptions ?? []) s.exceptions.set(e.id, { storeId: e.storeId, kind: e.kind, resolved: e.resolved ? { by: e.resolved.by, note: e.resolved.note } : null });
  for (const x of rows.shifts ?? []) {
    const closed = x.closed ? { by: x.closed.by, counted: x.closed.counted, expected: x.closed.expected, overShort: x.closed.overShort } : null;
    s.shifts.set(x.id, { deviceId: x.deviceId, storeId: x.storeId, status: x.status, float: x.float, cashIn: x.totals.cashIn, cashOut: x.totals.cashOut, moves: x.moves.length, closed });
  }
  for (const r of rows.registers ?? []) s.registers.set(r.id, { openShiftId: r.openShiftId ?? null, lastShiftId: r.lastShiftId ?? null });
  for (const r of rows.redirects ?? []) s.redirects.set(r.id, r.to);
  return s;
}

/**
 * A row as compared. An order's short lines and its lines' searches are sets, one entry per SKU,
 * listed in the order their commands were applied: two lines of one order marked short from two
 * devices reach the server in either order, and both are right (seeds 166 and 655 failed on the
 * order alone). They are compared sorted by SKU.
 */
function comparable(table: keyof ModelState, row: unknown): unknown {
  if (table !== 'orders') return row;
  const o = row as OrderModel;
  return {
    ...o,
    ...(o.short ? { short: [...o.short].sort() } : {}),
    ...(o.reassigned ? { reassigned: [...o.reassigned].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)) } : {}),
  };
}

/** Differences between two states, as sentences (empty when equal). At most `limit`. */
export function diffStates(expected: ModelState, actual: ModelState, limit = 5, skip: (table: keyof ModelState, key: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const table of COMPARED) {
    const e = expected[table] as Map<string, unknown>;
    const a = actual[table] as Map<string, unknown>;
    for (const key of new Set([...e.keys(), ...a.keys()])) {
      if (out.length >= limit) return out;
      if (skip(table, key)) continue;
      const x = e.has(key) ? canonicalJson(comparable(table, e.get(key))) : 'absent';
      const y = a.has(key) ? canonicalJson(comparable(table, a.get(key))) : 'absent';
      if (x !== y) out.push(`${table} ${key}: expected ${x}, found ${y}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- the oracle's own arithmetic

/** Half away from zero, as domain.md says tax rounds. */
const roundHalf = (x: number) => Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
const MULTIPLIER: Record<string, number> = { '': 1, silver: 1, gold: 1.5, platinum: 2 };
/** [CL4] A merge keeps the higher of the two tiers. */
const TIER_RANK: Record<string, number> = { '': 0, silver: 1, gold: 2, platinum: 3 };
/** [LO1] Tiers by 12-month spend, in minor units, as domain.md gives them: silver from 500.00, gold from 1,500.00, platinum from 4,000.00. */
export function tierForSpend(spend: number): string {
  return spend >= 400_000 ? 'platinum' : spend >= 150_000 ? 'gold' : spend >= 50_000 ? 'silver' : '';
}
/** [LO1] 12-month spend of history entries up to `now`: sales and orders count, returns take back, cancelled and expired orders do not. */
export function spendInYear(entries: readonly { at: string; total: number; kind: string; status?: string }[], now: number): number {
  const from = now - 365 * 86_400_000;
  const sum = entries.filter((e) => Date.parse(e.at) > from && Date.parse(e.at) <= now && !(e.kind === 'order' && (e.status === 'cancelled' || e.status === 'expired'))).reduce((t, e) => t + e.total, 0);
  return Math.max(0, sum);
}

/** Facts of the chain the models need: tax by store and SKU, and the tier multipliers. */
export class ChainFacts {
  private readonly taxClass = new Map<string, string>();
  private readonly stores: Map<string, GeneratedChain['locations'][number]>;

  constructor(chain: GeneratedChain) {
    const productTax = new Map(chain.products.map((p) => [p.id, p.taxClass]));
    for (const v of chain.variants) this.taxClass.set(v.sku, productTax.get(v.productId) ?? 'standard');
    this.stores = new Map(chain.locations.map((l) => [l.id as string, l]));
  }

  /** The sale's total in minor units: Σ qty × price, plus tax on top where the store prices without it. */
  saleTotal(storeId: string, lines: readonly { sku: string; qty: number; unitPrice: number }[]): number {
    const store = this.stores.get(storeId)!;
    let gross = 0;
    let tax = 0;
    for (const l of lines) {
      const amount = l.qty * l.unitPrice;
      const rate = store.taxRates[this.taxClass.get(l.sku) ?? 'standard'] ?? 0;
      gross += amount;
      tax += store.taxMode === 'inclusive' ? roundHalf((amount * rate) / (1000 + rate)) : roundHalf((amount * rate) / 1000);
    }
    return store.taxMode === 'inclusive' ? gross : gross + tax;
  }

  /** Points a sale earns: one per whole currency unit, times the tier's multiplier (domain.md). */
  points(total: number, tier: string): number {
    return Math.floor(Math.floor(total / 100) * (MULTIPLIER[tier] ?? 1));
  }

  /** Tiers that earn at the same rate as `tier`: the workload only moves a customer within them. */
  sameRate(tier: string): string[] {
    return Object.keys(MULTIPLIER).filter((t) => MULTIPLIER[t] === (MULTIPLIER[tier] ?? 1));
  }
}

// ---------------------------------------------------------------- one model per command type

interface SalePayload {
  saleId: string;
  storeId: string;
  receiptNo: string;
  customerId?: string;
  lines: { sku: string; qty: number; unitPrice: number }[];
  tenders: { kind: string; amount: number }[];
}

/** Minor units paid with points in a sale (one point per minor unit, domain.md [LO3]). */
export const redeemedIn = (p: { tenders?: readonly { kind: string; amount: number }[] }): number => (p.tenders ?? []).filter((t) => t.kind === 'loyalty').reduce((s, t) => s + t.amount, 0);
interface CustomerUpdatePayload {
  customerId: string;
  changes: Partial<Record<CustomerField, string>>;
}
interface NotePayload {
  noteId: string;
  customerId: string;
  text: string;
}
interface ResolvePayload {
  exceptionId: string;
  storeId: string;
  note: string;
}

/**
 * Where a command runs: on the server (what it recorded), or replayed on a tablet [P5], where a
 * handler refuses what the server would apply and flag (a cash move outside an open shift), and
 * where the register is the tablet's current identity's [D6].
 */
export interface ModelSide {
  side: 'server' | 'tablet';
  /** The device whose register the command works on (the tablet's current identity when replayed). */
  deviceId?: string;
}

/** Applies one command to the model, as its handler should. */
export type CommandModel = (s: ModelState, cmd: Envelope, facts: ChainFacts, where?: ModelSide) => void;

/** Over/short beyond this (minor units) goes to the manager: the stores' default [SH2]. */
const OVER_SHORT_THRESHOLD = 500;

/**
 * The open shift a cash command names, as `openShift` (shift-guard.ts) decides: on the tablet a
 * shift that is not this register's open one refuses the command (no effect at all); on the server
 * the command is applied without it and the manager is told.
 */
function openShiftModel(s: ModelState, cmd: Envelope, shiftId: string, storeId: string, where: ModelSide): ShiftModel | undefined {
  const shift = s.shifts.get(shiftId);
  const device = where.deviceId ?? cmd.deviceId;
  if (shift && shift.deviceId === device && shift.status === 'open') return shift;
  if (where.side === 'server') s.exceptions.set(`${cmd.id}:cash-over-short:outside-shift`, { storeId, kind: 'cash-over-short', resolved: null });
  return undefined;
}

const expectedCash = (x: ShiftModel) => x.float + x.cashIn - x.cashOut;

const emptyCustomer = (): CustomerModel => ({
  fields: Object.fromEntries(CUSTOMER_FIELDS.map((f) => [f, ''])) as Record<CustomerField, string>,
  clock: {},
  points: 0,
  lifetimeSpend: 0,
  storeCredit: 0,
});

/** [CL4] The profile an id answers to now (a merged-away one's survivor). */
function resolved(s: ModelState, id: string): string {
  for (let i = 0; i < 10 && s.redirects.has(id) && s.redirects.get(id) !== id; i++) id = s.redirects.get(id)!;
  return id;
}

/** A sale as ringSale makes it; an order's payment [OR1] moves no stock. */
function ringModel(s: ModelState, cmd: Envelope, facts: ChainFacts, moveStock: boolean): void {
  const p = cmd.payload as SalePayload;
  if (moveStock) for (const l of p.lines) {
    const key = `${p.storeId}|${l.sku}`;
    const onHand = (s.stock.get(key) ?? 0) - l.qty;
    s.stock.set(key, onHand);
    // [C5] Sold with nothing on the shelf: applied, and an exception for the manager.
    if (onHand < 0) s.exceptions.set(`${cmd.id}:oversold:${l.sku}`, { storeId: p.storeId, kind: 'oversold', resolved: null });
  }
  const total = facts.saleTotal(p.storeId, p.lines);
  const c = p.customerId ? s.customers.get(p.customerId) : undefined;
  const redeemed = redeemedIn(p);
  // [LO3] Points are earned on what was not paid with points; a redemption beyond the balance is
  // applied (the customer left with the goods) and flagged [C5]. Which of two concurrent
  // redemptions overdrew depends on the order the server met them (checked apart, see oracle.ts).
  if (c) s.customers.set(p.customerId!, { ...c, points: c.points - redeemed + facts.points(total - Math.min(total, redeemed), c.fields.tier), lifetimeSpend: c.lifetimeSpend + total });
  if (redeemed > 0 && (!c || redeemed > c.points)) s.exceptions.set(`${cmd.id}:loyalty-overdraft`, { storeId: p.storeId, kind: 'loyalty-overdraft', resolved: null });
  s.sales.set(p.saleId, { receiptNo: p.receiptNo, storeId: p.storeId, deviceId: cmd.deviceId, customerId: p.customerId ?? null, total });
}

export const MODELS: Record<string, CommandModel> = {
  'sale.complete'(s, cmd, facts) {
    ringModel(s, cmd, facts, true);
  },
  // [OR1] An order from the till is paid as a sale is, takes nothing off this shelf, and waits for
  // the server to source it. The workload orders from the till only a SKU that the warehouse alone
  // holds and that nothing else moves, and only what it still covers, so sourcing reserves it there.
  'order.create'(s, cmd, facts) {
    const p = cmd.payload as SalePayload & { orderId: string };
    if (s.orders.has(p.orderId)) return;
    ringModel(s, cmd, facts, false);
    const lines = p.lines.map((l) => {
      const paid = facts.saleTotal(p.storeId, [l]);
      return { sku: l.sku, qty: l.qty, unitPrice: l.unitPrice, ...(paid !== l.qty * l.unitPrice ? { paid } : {}) };
    });
    s.orders.set(p.orderId, { storeId: p.storeId, status: 'sourcing', refunded: 0, lines });
  },
  // [OR2] The server's sourcing: every line at the warehouse (see order.create), then placed.
  'order.source'(s, cmd) {
    const p = cmd.payload as { orderId: string };
    const o = s.orders.get(p.orderId);
    if (!o || o.status !== 'sourcing') return;
    const allocations = o.lines.map((l) => ({ locationId: WAREHOUSE, sku: l.sku, qty: l.qty }));
    for (const a of allocations) {
      addReserved(s, `${a.locationId}|${a.sku}`, a.qty);
      traceMove(s, cmd.id, a.locationId, a.sku, a.qty);
    }
    s.orders.set(p.orderId, { ...o, status: 'placed', allocations });
  },
  // [OR3] The system settles a till order's share at a location other than the collecting store.
  'order.settle-share'(s, cmd) {
    const p = cmd.payload as { kind: 'release' | 'fulfil'; locationId: string; shares: { sku: string; qty: number }[] };
    for (const x of p.shares) {
      const key = `${p.locationId}|${x.sku}`;
      addReserved(s, key, -x.qty);
      if (p.kind === 'fulfil') s.stock.set(key, (s.stock.get(key) ?? 0) - x.qty);
      traceMove(s, cmd.id, p.locationId, x.sku, -x.qty);
    }
  },
  'customer.update'(s, cmd) {
    const p = cmd.payload as CustomerUpdatePayload;
    const c = s.customers.get(p.customerId) ?? emptyCustomer();
    const next = { ...c, fields: { ...c.fields }, clock: { ...c.clock } };
    // Each field on its own: the write with the larger HLC wins, whatever order they arrive in.
    for (const f of CUSTOMER_FIELDS) {
      const v = p.changes[f];
      if (v === undefined) continue;
      const seen = c.clock[f];
      if (seen === undefined || cmd.at > seen) {
        next.fields[f] = v;
        next.clock[f] = cmd.at;
      }
    }
    s.customers.set(p.customerId, next);
  },
  'customer.create'(s, cmd) {
    const p = cmd.payload as { customerId: string; profile: Partial<Record<CustomerField, string>> };
    if (s.customers.has(p.customerId)) return; // [O3] an id already written: id-taken, nothing changes
    const c = emptyCustomer();
    const next = { ...c, fields: { ...c.fields }, clock: { ...c.clock } };
    for (const f of CUSTOMER_FIELDS) {
      const v = p.profile[f];
      if (v === undefined) continue;
      next.fields[f] = v;
      next.clock[f] = cmd.at;
    }
    s.customers.set(p.customerId, next);
  },
  // [CL4] The survivor keeps its own values, takes the other's where it has none, the higher tier,
  // and the sum of points and spend (moved as ledger transfers, checked as sums of entries); the
  // merged profile is deleted [M2] and redirects to the survivor. The workload merges only
  // profiles no other tablet names, so the result does not depend on the order of arrival.
  'customer.merge'(s, cmd) {
    const p = cmd.payload as { survivorId: string; mergedId: string };
    const keep = s.customers.get(p.survivorId);
    const gone = s.customers.get(p.mergedId);
    if (!keep || !gone || p.survivorId === p.mergedId) return;
    const next = { ...keep, fields: { ...keep.fields }, clock: { ...keep.clock } };
    for (const f of CUSTOMER_FIELDS) {
      if (keep.fields[f] || !gone.fields[f]) continue;
      next.fields[f] = gone.fields[f];
      if (gone.clock[f]) next.clock[f] = gone.clock[f];
    }
    if ((TIER_RANK[gone.fields.tier] ?? 0) > (TIER_RANK[keep.fields.tier] ?? 0)) next.fields.tier = gone.fields.tier;
    next.points = keep.points + gone.points;
    next.lifetimeSpend = keep.lifetimeSpend + gone.lifetimeSpend;
    s.customers.set(p.survivorId, next);
    s.customers.delete(p.mergedId);
    s.redirects.set(p.mergedId, p.survivorId);
  },
  // [LO2] A manager-approved adjustment: the customer's points move by exactly it, once, on the profile
  // a merged-away id now answers to; never below zero (the workload only adds).
  'loyalty.adjust'(s, cmd) {
    const p = cmd.payload as { customerId: string; points: number };
    const id = resolved(s, p.customerId);
    const c = s.customers.get(id);
    if (!c || c.points + p.points < 0) return;
    s.customers.set(id, { ...c, points: c.points + p.points });
  },
  // [LO2] The schedule's expiry takes what the oracle worked out the customer still held of expired lots
  // when it ran (`due`, see Oracle.expiryDue), from the profile the id answers to.
  'loyalty.expire'(s, cmd) {
    const p = cmd.payload as { customerId: string; due?: number };
    const id = resolved(s, p.customerId);
    const c = s.customers.get(id);
    if (!c || !p.due) return;
    s.customers.set(id, { ...c, points: c.points - p.due });
  },
  // [LO1] The server's review of a customer's tier, run by the schedule: the 12-month spend is what the
  // seeded history held in the year up to the review (`seeded`) plus what the run's sales added to the
  // customer's spend since the start (`from` was it then). The simulation reviews only a customer whose
  // commands the server has all decided and whose spend only sales moved (Oracle.reviewable). The tier
  // is written with the server's clock, and only when it changes.
  'loyalty.tier-review'(s, cmd) {
    const p = cmd.payload as { customerId: string; seeded: number; from: number };
    const c = s.customers.get(p.customerId);
    if (!c) return;
    const tier = tierForSpend(Math.max(0, p.seeded + c.lifetimeSpend - p.from));
    if (tier === c.fields.tier) return;
    s.customers.set(p.customerId, { ...c, fields: { ...c.fields, tier }, clock: { ...c.clock, tier: cmd.at } });
  },
  'note.add'(s, cmd) {
    const p = cmd.payload as NotePayload;
    if (!s.customers.has(p.customerId)) return; // rejected (server) or not shown (tablet)
    s.notes.set(p.noteId, { customerId: p.customerId, text: p.text.trim(), author: cmd.actor });
  },
  // [W3] Only a notification (checked against the server's outbox, oracle.ts): no modelled row changes.
  'receipt.email'() {},
  // [RE5][RE6] Returns (returns helper): the workload takes back whole lines of customer-less sales
  // the server holds, each line once, to store credit; what they are worth comes from the oracle's
  // own tax arithmetic in the payload's snapshot (see workload.ts). Restocked goods go back on the
  // shelf of the store that took them.
  'return.create'(s, cmd) {
    const p = cmd.payload as { storeId: string; customerId?: string; lines: { line?: number; sku: string; qty: number; disposition: string }[]; purchase?: { snapshot?: { lines: { lineTotal: number }[] } } };
    let value = 0;
    for (const l of p.lines) {
      if (l.disposition === 'restock') s.stock.set(`${p.storeId}|${l.sku}`, (s.stock.get(`${p.storeId}|${l.sku}`) ?? 0) + l.qty);
      value += p.purchase?.snapshot?.lines[l.line ?? -1]?.lineTotal ?? 0;
    }
    const c = p.customerId ? s.customers.get(p.customerId) : undefined;
    if (c && value > 0) s.customers.set(p.customerId!, { ...c, storeCredit: c.storeCredit + value });
  },
  'return.email'() {
    // A notice in the server's outbox: nothing the oracle models changes.
  },
  // [SH1] One open shift per register: a tablet refuses a second; the server applies it and flags it.
  'shift.open'(s, cmd, _facts, where = { side: 'server' }) {
    const p = cmd.payload as { shiftId: string; storeId: string; float: number };
    const device = where.deviceId ?? cmd.deviceId;
    const register = s.registers.get(device);
    const current = register?.openShiftId ? s.shifts.get(register.openShiftId) : undefined;
    if (current?.status === 'open') {
      if (where.side === 'tablet') return;
      s.exceptions.set(`${cmd.id}:cash-over-short:second-shift`, { storeId: p.storeId, kind: 'cash-over-short', resolved: null });
    }
    s.shifts.set(p.shiftId, { deviceId: device, storeId: p.storeId, status: 'open', float: p.float, cashIn: 0, cashOut: 0, moves: 0, closed: null });
    s.registers.set(device, { openShiftId: p.shiftId, lastShiftId: register?.lastShiftId ?? null });
  },
  // [SH2] Cash in or out of the drawer, once each: the shift's totals count every applied move once.
  'shift.cash-move'(s, cmd, _facts, where = { side: 'server' }) {
    const p = cmd.payload as { shiftId: string; storeId: string; kind: 'in' | 'out'; amount: number };
    const shift = openShiftModel(s, cmd, p.shiftId, p.storeId, where);
    if (!shift) return;
    if (where.side === 'tablet' && p.kind === 'out' && p.amount > expectedCash(shift)) return; // not-enough-cash
    s.shifts.set(p.shiftId, { ...shift, cashIn: shift.cashIn + (p.kind === 'in' ? p.amount : 0), cashOut: shift.cashOut + (p.kind === 'out' ? p.amount : 0), moves: shift.moves + 1 });
  },
  // [SH2][RO3] The count against float + cash in − cash out; beyond the threshold, the manager is told.
  'shift.close'(s, cmd, _facts, where = { side: 'server' }) {
    const p = cmd.payload as { shiftId: string; storeId: string; counted: number };
    const shift = openShiftModel(s, cmd, p.shiftId, p.storeId, where);
    if (!shift) return;
    const device = where.deviceId ?? cmd.deviceId;
    const expected = expectedCash(shift);
    const overShort = p.counted - expected;
    s.shifts.set(p.shiftId, { ...shift, status: 'closed', closed: { by: cmd.actor, counted: p.counted, expected, overShort } });
    const register = s.registers.get(device);
    s.registers.set(device, { openShiftId: register?.openShiftId && register.openShiftId !== p.shiftId ? register.openShiftId : null, lastShiftId: p.shiftId });
    if (Math.abs(overShort) > OVER_SHORT_THRESHOLD) s.exceptions.set(`${cmd.id}:cash-over-short`, { storeId: p.storeId, kind: 'cash-over-short', resolved: null });
  },
  // [W1] A web order from the channel: reserved at the pickup store. The workload orders only what that
  // store's stock covers (see workload.ts), so sourcing never looks elsewhere and the answer does not
  // depend on the order in which the server met other commands.
  'order.place'(s, cmd) {
    const p = cmd.payload as { orderId: string; order: { lines: { sku: string; qty: number; unitPrice: number }[]; fulfillment: { kind: string; storeId?: string } } };
    if (s.orders.has(p.orderId)) return;
    const storeId = p.order.fulfillment.storeId!;
    const lines = p.order.lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice }));
    for (const l of lines) {
      addReserved(s, `${storeId}|${l.sku}`, l.qty);
      traceMove(s, cmd.id, storeId, l.sku, l.qty);
    }
    s.orders.set(p.orderId, { storeId, status: 'placed', refunded: 0, lines });
  },
  'order.start-picking': (s, cmd) => void orderStep(s, cmd),
  'order.mark-ready': (s, cmd) => void orderStep(s, cmd),
  'order.hand-over': (s, cmd) => void orderStep(s, cmd),
  'order.cancel': (s, cmd) => void orderStep(s, cmd),
  'order.expire': (s, cmd) => void orderStep(s, cmd),
  'order.mark-short': (s, cmd) => void orderStep(s, cmd),
  'order.reassign-line': (s, cmd) => void orderStep(s, cmd),
  // [CL6] Erasure (the admin's, as the system): the profile and its notes go, and every id it answered
  // to (its own and those merged into it) redirects to itself as erased. Sales and the ledger stay.
  // The workload erases only profiles no tablet names any more (see sim.ts), so arrival order does not matter.
  'customer.erase'(s, cmd) {
    const p = cmd.payload as { customerId: string };
    if (!s.customers.has(p.customerId)) return;
    const ids = new Set([p.customerId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [from, to] of s.redirects) {
        if (!ids.has(to) || ids.has(from)) continue;
        ids.add(from);
        grew = true;
      }
    }
    s.customers.delete(p.customerId);
    for (const [id, n] of s.notes) if (ids.has(n.customerId)) s.notes.delete(id);
    for (const id of ids) s.redirects.set(id, id);
  },
  // [CL6] Anonymises orders and exceptions that name the erased customer: fields the model does not
  // compare (names, contact, messages); what it leaves is checked apart (oracle.ts).
  'customer.erase-records'() {},
  'exception.resolve'(s, cmd) {
    const p = cmd.payload as ResolvePayload;
    const e = s.exceptions.get(p.exceptionId);
    if (!e || e.storeId !== p.storeId || e.resolved) return; // the first resolution stands
    s.exceptions.set(p.exceptionId, { ...e, resolved: { by: cmd.actor, note: p.note.trim() } });
  },
};

// ---------------------------------------------------------------- pickup [PQ1][PQ5]

/**
 * What an order command does to its order: changes it, changes nothing (the same transition twice, a
 * follow-up answered already), or is refused: `invalid-transition` (`rejected`), or `line-undecided`
 * (`undecided`: made ready while a short line is still being found elsewhere, or found nowhere).
 */
export type OrderVerdict = 'applied' | 'noop' | 'rejected' | 'undecided';

export const ORDER_TRANSITIONS = ['order.start-picking', 'order.mark-ready', 'order.hand-over', 'order.cancel', 'order.expire', 'order.mark-short'] as const;

/** The warehouse: where till orders of the simulation are sourced. */
export const WAREHOUSE = 'W01';

function addReserved(s: ModelState, key: string, qty: number): void {
  const r = Math.max(0, (s.reserved.get(key) ?? 0) + qty);
  if (r) s.reserved.set(key, r);
  else s.reserved.delete(key);
}

function traceMove(s: ModelState, commandId: string, locationId: string, sku: string, qty: number): void {
  if (!s.trace) return;
  s.trace.moves.set(commandId, [...(s.trace.moves.get(commandId) ?? []), `${locationId}|${sku}|${qty}`]);
}

const openLinesOf = (o: OrderModel) => o.lines.filter((l) => !(o.short ?? []).includes(l.sku));
const reassignOfModel = (o: OrderModel, sku: string) => (o.reassigned ?? []).find((r) => r.sku === sku);

/** [PQ1][OR2] Where each of `lines` is reserved: a reassigned line's new shares, a till order's allocations, else the collecting store. */
function sharesOfModel(o: OrderModel, lines: OrderModel['lines']): { locationId: string; sku: string; qty: number }[] {
  const out: { locationId: string; sku: string; qty: number }[] = [];
  for (const l of lines) {
    const r = reassignOfModel(o, l.sku);
    if (r) out.push(...r.shares.map((x) => ({ locationId: x.locationId, sku: l.sku, qty: x.qty })));
    else if (o.allocations) out.push(...o.allocations.filter((a) => a.sku === l.sku));
    else out.push({ locationId: o.storeId, sku: l.sku, qty: l.qty });
  }
  return out;
}

/**
 * [PQ1][OR3] Gives back (`release`) or takes off the shelf (`fulfil`) what `lines` hold: at the
 * collecting store here, elsewhere through the system's order.settle-share (traced, replayed apart).
 */
function settleModel(s: ModelState, cmdId: string, o: OrderModel, lines: OrderModel['lines'], kind: 'release' | 'fulfil'): void {
  for (const x of sharesOfModel(o, lines)) {
    if (x.locationId !== o.storeId) {
      if (s.trace) s.trace.settles.set(cmdId, [...(s.trace.settles.get(cmdId) ?? []), `${kind}|${x.locationId}|${x.sku}|${x.qty}`]);
      continue;
    }
    const key = `${x.locationId}|${x.sku}`;
    addReserved(s, key, -x.qty);
    if (kind === 'fulfil') s.stock.set(key, (s.stock.get(key) ?? 0) - x.qty);
    traceMove(s, cmdId, x.locationId, x.sku, -x.qty);
  }
}

const refundOf = (lines: OrderModel['lines']) => lines.reduce((n, l) => n + (l.paid ?? l.qty * l.unitPrice), 0);

/**
 * [PQ1][PQ5] One order command, as its handler should run it (domain.md's state machine: placed →
 * picking → ready → collected; cancelled from any of those three; expired, by the schedule, only from
 * ready; a line marked short is cancelled with a refund or sent back to sourcing without the locations
 * it was short at, and the order cannot be ready while such a line is being found or found nowhere).
 * `order.reassign-line` is the server's follow-up: where it found the line is read from the server
 * (`found`, learnt by the oracle: it depends on every store's stock at that moment), and the model
 * checks it is a place the rule allows. A refused command changes nothing here.
 */
export function orderStep(s: ModelState, cmd: Envelope): OrderVerdict {
  const p = cmd.payload as { orderId: string; sku?: string; resolve?: 'cancel' | 'reassign'; from?: string; storeId?: string; request?: string; found?: { locationId: string; qty: number }[] | null };
  const o = s.orders.get(p.orderId);
  if (!o) return 'rejected';
  const set = (next: OrderModel) => s.orders.set(p.orderId, next);
  const is = (...st: string[]) => st.includes(o.status);
  switch (cmd.type) {
    case 'order.source': {
      if (!is('sourcing')) return 'noop';
      MODELS['order.source']!(s, cmd, undefined as never);
      return 'applied';
    }
    case 'order.start-picking':
      if (is('picking')) return 'noop';
      if (!is('placed')) return 'rejected';
      set({ ...o, status: 'picking' });
      return 'applied';
    case 'order.mark-ready': {
      if (is('ready')) return 'noop';
      if (!is('placed', 'picking') || openLinesOf(o).length === 0) return 'rejected';
      if (openLinesOf(o).some((l) => ['sourcing', 'unsourceable'].includes(reassignOfModel(o, l.sku)?.state ?? ''))) return 'undecided';
      set({ ...o, status: 'ready' });
      return 'applied';
    }
    case 'order.hand-over':
      if (is('collected')) return 'noop';
      if (!is('ready')) return 'rejected';
      settleModel(s, cmd.id, o, openLinesOf(o), 'fulfil');
      set({ ...o, status: 'collected' });
      return 'applied';
    case 'order.cancel':
    case 'order.expire': {
      const cancel = cmd.type === 'order.cancel';
      if (cancel ? is('cancelled') : !is('ready')) return 'noop';
      if (cancel && !is('placed', 'picking', 'ready')) return 'rejected';
      const open = openLinesOf(o);
      settleModel(s, cmd.id, o, open, 'release');
      set({ ...o, status: cancel ? 'cancelled' : 'expired', refunded: o.refunded + refundOf(open) });
      return 'applied';
    }
    case 'order.mark-short': {
      const line = o.lines.find((l) => l.sku === p.sku);
      if (!line) return 'rejected';
      if ((o.short ?? []).includes(line.sku)) return p.resolve === 'cancel' ? 'noop' : 'rejected';
      if (!is('placed', 'picking')) return 'rejected';
      if (p.resolve === 'reassign') {
        const before = reassignOfModel(o, line.sku);
        if (before?.state === 'sourcing') return 'noop';
        const shares = sharesOfModel(o, [line]);
        const from = p.from ?? p.storeId!;
        if (before?.state !== 'unsourceable' && !shares.some((x) => x.locationId === from)) return 'noop';
        settleModel(s, cmd.id, o, [line], 'release');
        const shortAt = [...new Set([...(before?.shortAt ?? []), ...shares.map((x) => x.locationId)])];
        set({ ...o, reassigned: [...(o.reassigned ?? []).filter((r) => r.sku !== line.sku), { sku: line.sku, shortAt, state: 'sourcing', shares: [], request: cmd.id }] });
        return 'applied';
      }
      settleModel(s, cmd.id, o, [line], 'release');
      const next = { ...o, short: [...(o.short ?? []), line.sku], refunded: o.refunded + refundOf([line]) };
      set({ ...next, status: openLinesOf(next).length === 0 ? 'cancelled' : o.status });
      return 'applied';
    }
    case 'order.reassign-line': {
      const entry = reassignOfModel(o, p.sku!);
      const line = o.lines.find((l) => l.sku === p.sku);
      if (!is('placed', 'picking') || (o.short ?? []).includes(p.sku!) || !entry || !line || entry.state !== 'sourcing' || entry.request !== p.request) return 'noop';
      const found = p.found ?? null;
      if (found && s.trace) {
        // [PQ1] Whole, and nowhere it was short.
        const total = found.reduce((n, x) => n + x.qty, 0);
        if (total !== line.qty || found.some((x) => entry.shortAt.includes(x.locationId) || x.qty <= 0)) s.trace.problems.push(`[PQ1] order ${p.orderId}: line ${line.sku} (${line.qty}, short at ${entry.shortAt.join(', ')}) was reassigned to ${JSON.stringify(found)}`);
      }
      for (const x of found ?? []) {
        addReserved(s, `${x.locationId}|${line.sku}`, x.qty);
        traceMove(s, cmd.id, x.locationId, line.sku, x.qty);
      }
      if (!found) s.exceptions.set(`${cmd.id}:unsourceable`, { storeId: o.storeId, kind: 'unsourceable', resolved: null });
      set({ ...o, reassigned: (o.reassigned ?? []).map((r) => (r.sku === line.sku ? { ...r, state: found ? 'sourced' : 'unsourceable', shares: found ?? [] } : r)) });
      return 'applied';
    }
    default:
      throw new Error(`no order command ${cmd.type}`);
  }
}
