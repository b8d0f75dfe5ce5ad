// The synced data model: every table a stream carries, its row shape, and which stream it belongs to [P1].
import type { AssociateId, Currency, CustomerId, LocationId, Minor, Sku } from './shared/brand';
import type { Hlc } from './shared/hlc';

export type Role = 'associate' | 'cashier' | 'manager';
export type TaxMode = 'inclusive' | 'exclusive';

export interface LocationRow {
  id: LocationId;
  code: string;
  name: string;
  city: string;
  country: string;
  kind: 'store' | 'warehouse';
  lat: number;
  lon: number;
  currency: Currency;
  /** Over/short beyond this (minor units) raises `cash-over-short` at a shift's close [SH2] (config). */
  cashOverShortThreshold?: Minor;
  /** [PQ1] Days a ready pickup waits before it expires (config; 7 when absent). */
  pickupExpiryDays?: number;
  taxMode: TaxMode;
  /** Tax rate per tax class, in permille (230 = 23 %). */
  taxRates: Record<string, number>;
  locale: string;
  timeZone: string;
}

export interface ProductRow {
  id: string;
  name: string;
  brand: string;
  /** Category path, broadest first: ["Women", "Shoes", "Sneakers"]. */
  category: string[];
  description: string;
  attributes: Record<string, string>;
  taxClass: string;
  imageUrl?: string;
}

export interface VariantRow {
  sku: Sku;
  productId: string;
  barcode: string;
  size: string;
  color: string;
  /** Price per currency in minor units. */
  prices: Partial<Record<Currency, Minor>>;
}

/** Chain-wide availability of one SKU, published by the server's roll-up [P2]. */
export interface AvailabilityRow {
  sku: Sku;
  /** Available (on hand − reserved) per location. */
  by: Record<string, number>;
  /** When the roll-up computed these figures (ms since epoch). */
  at: number;
}

export interface StockRow {
  key: string; // `${locationId}|${sku}`
  locationId: LocationId;
  sku: Sku;
  onHand: number;
  reserved: number;
  /** Server time of the last movement applied (ms), for the age shown next to figures. */
  at: number;
}

export interface AssociateRow {
  id: AssociateId;
  storeId: LocationId;
  name: string;
  role: Role;
  /** PBKDF2-SHA256 of the PIN, hex; salt hex; iterations. Never the PIN itself [A4]. */
  pinHash: string;
  pinSalt: string;
  pinIterations: number;
  active: boolean;
}

export interface SaleLine {
  sku: Sku;
  name: string;
  qty: number;
  unitPrice: Minor;
  lineTotal: Minor;
  tax: Minor;
}

export interface Tender {
  kind: 'cash' | 'card' | 'store-credit' | 'loyalty';
  amount: Minor;
}

export interface SaleRow {
  id: string;
  storeId: LocationId;
  deviceId: string;
  receiptNo: string;
  at: string; // HLC of the command
  actor: AssociateId;
  customerId?: CustomerId;
  /** The register shift the sale was rung in [SH1]; absent for sales made before shifts existed. */
  shiftId?: string;
  currency: Currency;
  lines: SaleLine[];
  tenders: Tender[];
  total: Minor;
  tax: Minor;
  change: Minor;
}

export type ExceptionKind =
  | 'oversold'
  | 'loyalty-overdraft'
  | 'return-unverified'
  | 'unsourceable'
  | 'rejected-command'
  | 'seq-conflict'
  | 'cash-over-short'
  | 'clock-skew';

export interface ExceptionRow {
  id: string;
  storeId: LocationId;
  kind: ExceptionKind;
  message: string;
  details: Record<string, unknown>;
  raisedAt: string;
  commandId?: string;
  resolved?: { by: AssociateId; note: string; at: string };
}

/** Fields of a customer profile that merge one by one, last writer (by HLC) wins. */
export const CUSTOMER_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'birthday',
  'tier',
] as const;
export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

export interface CustomerRow {
  id: CustomerId;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  birthday: string;
  tier: string;
  /** HLC of the write that set each field: the per-field merge key. */
  clock: Partial<Record<CustomerField, Hlc>>;
  homeStoreId?: LocationId;
  points: number;
  storeCredit: Minor;
  lifetimeSpend: Minor;
  createdAt: string;
}

export interface NoteRow {
  id: string;
  customerId: CustomerId;
  text: string;
  author: AssociateId;
  authorName: string;
  at: string;
}

export type OrderStatus = 'placed' | 'picking' | 'ready' | 'short' | 'collected' | 'expired' | 'cancelled';

export interface OrderLine {
  sku: Sku;
  name: string;
  qty: number;
  unitPrice: Minor;
}

/** A customer order (web shop or placed from a store), carried on the fulfilling store's stream. */
export interface OrderRow extends OrderPickupFields {
  id: string;
  /** Human order number, e.g. W100234 (web) — what the customer quotes at the counter. */
  number: string;
  channel: 'web' | 'store';
  /** The store that fulfils (for pickup: where the customer collects). */
  storeId: LocationId;
  customerId: CustomerId;
  customerName: string;
  lines: OrderLine[];
  currency: Currency;
  total: Minor;
  fulfillment: 'pickup' | 'ship';
  status: OrderStatus;
  /** ISO timestamps. */
  placedAt: string;
  readyBy: string;
  paymentRef: string;
}

/** [W2] One step in a web order's life, in order: what the channel's status answer lists. */
export interface OrderEvent {
  kind: 'placed' | 'picking' | 'ready' | 'collected' | 'expired' | 'cancelled' | 'short' | 'refund';
  /** ISO time (server time on the server). */
  at: string;
  /** The SKU of a short line. */
  sku?: string;
  /** A refund's amount (minor units). */
  amount?: Minor;
}

/** Pickup fields of an order (web channel [W1], pickup queue [PQ1]); optional so seeded orders stay valid. */
export interface OrderPickupFields {
  /** The web shop's own id [W1]. */
  externalId?: string;
  /** Where the stock is reserved (the sourcing location); the pickup store when absent. */
  sourceId?: LocationId;
  /** How to reach the customer for notices [W3]. */
  contact?: { email: string; phone: string };
  shipTo?: { street: string; city: string; postalCode: string; country: string };
  /** SKUs of lines cancelled as short [PQ1]. */
  shortSkus?: string[];
  refunded?: Minor;
  history?: OrderEvent[];
}

export type TenderKind = Tender['kind'];

/** Why cash went into or out of a drawer during a shift [SH2]: a fixed list, so reports can group them. */
export const CASH_MOVE_REASONS = ['change-top-up', 'safe-drop', 'bank-deposit', 'petty-cash', 'payout', 'correction'] as const;
export type CashMoveReason = (typeof CASH_MOVE_REASONS)[number];

export interface CashMove {
  id: string;
  kind: 'in' | 'out';
  amount: Minor;
  reason: CashMoveReason;
  at: string; // HLC of the command
  actor: AssociateId;
}

/** Running totals of a shift, folded from its sales and cash moves (src/core/register/shift-report.ts). */
export interface ShiftTotals {
  sales: number;
  /** Gross amount taken per tender kind (cash before change). */
  tendered: Record<TenderKind, Minor>;
  change: Minor;
  cashIn: Minor;
  cashOut: Minor;
}

/** One register shift: a tablet's cash drawer from the counted float to the counted close [SH1]–[SH3]. */
export interface ShiftRow {
  id: string;
  storeId: LocationId;
  deviceId: string;
  currency: Currency;
  status: 'open' | 'closed';
  openedAt: string; // HLC
  openedBy: AssociateId;
  float: Minor;
  totals: ShiftTotals;
  moves: CashMove[];
  closed?: { at: string; by: AssociateId; counted: Minor; expected: Minor; overShort: Minor };
}

/** A tablet's cash drawer: which shift is open on it, so a second cannot be opened by mistake [SH1]. */
export interface RegisterRow {
  /** The device id: one register per tablet. */
  id: string;
  storeId: LocationId;
  openShiftId?: string;
  lastShiftId?: string;
}

/** Every synced table, with the row type it holds. */
export interface Tables {
  locations: LocationRow;
  products: ProductRow;
  variants: VariantRow;
  availability: AvailabilityRow;
  stock: StockRow;
  associates: AssociateRow;
  sales: SaleRow;
  exceptions: ExceptionRow;
  customers: CustomerRow;
  notes: NoteRow;
  orders: OrderRow;
  shifts: ShiftRow;
  registers: RegisterRow;
}
export type TableName = keyof Tables;

export const TABLE_NAMES: readonly TableName[] = [
  'locations',
  'products',
  'variants',
  'availability',
  'stock',
  'associates',
  'sales',
  'exceptions',
  'customers',
  'notes',
  'orders',
  'shifts',
  'registers',
];

/** The primary key of each table's rows. */
export const keyOf: { [T in TableName]: (row: Tables[T]) => string } = {
  locations: (r) => r.id,
  products: (r) => r.id,
  variants: (r) => r.sku,
  availability: (r) => r.sku,
  stock: (r) => r.key,
  associates: (r) => r.id,
  sales: (r) => r.id,
  exceptions: (r) => r.id,
  customers: (r) => r.id,
  notes: (r) => r.id,
  orders: (r) => r.id,
  shifts: (r) => r.id,
  registers: (r) => r.id,
};

export const stockKey = (locationId: string, sku: string) => `${locationId}|${sku}`;

export type StreamName = 'catalog' | 'network' | 'customers' | 'chain' | `store:${string}`;

/**
 * [O2] `storeId` of an exception raised by a command without a store (a channel's or the system's):
 * it travels on the chain-level `chain` stream, which every device pulls.
 */
export const CHAIN_WIDE = '*' as LocationId;

/** Which stream a row travels on [P1]. */
export function streamOf<T extends TableName>(table: T, row: Tables[T]): StreamName {
  switch (table) {
    case 'products':
    case 'variants':
      return 'catalog';
    case 'locations':
    case 'availability':
      return 'network';
    case 'customers':
    case 'notes':
      return 'customers';
    case 'stock':
      return `store:${(row as StockRow).locationId}`;
    case 'exceptions':
      return (row as ExceptionRow).storeId === CHAIN_WIDE ? 'chain' : `store:${(row as ExceptionRow).storeId}`;
    case 'associates':
    case 'sales':
    case 'orders':
      return `store:${(row as AssociateRow | SaleRow | ExceptionRow | OrderRow).storeId}`;
    case 'shifts':
    case 'registers':
      return `store:${(row as ShiftRow | RegisterRow).storeId}`;
    default:
      throw new Error(`Unknown table ${String(table)}`);
  }
}

export const isStreamName = (s: string): s is StreamName =>
  s === 'catalog' || s === 'network' || s === 'customers' || s === 'chain' || /^store:[A-Z0-9]{2,12}$/.test(s);
