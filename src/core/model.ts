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
  /** Street address and tax id printed on receipts [MO4], where the chain has set them. */
  address?: string;
  taxId?: string;
}

/**
 * A product document (a style) with its variants embedded: the catalog stream carries one row per
 * product, so a bootstrap writes one IndexedDB row per style instead of one per SKU.
 */
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
  /** The sellable variants (SKUs) of this product, in catalog order. */
  variants: VariantDoc[];
}

/** One variant (SKU) inside its product document. */
export interface VariantDoc {
  sku: Sku;
  barcode: string;
  size: string;
  color: string;
  /** Price per currency in minor units. */
  prices: Partial<Record<Currency, Minor>>;
}

/** A variant with the id of its product: how screens and search see one SKU (not a stored row). */
export interface VariantRow extends VariantDoc {
  productId: string;
}

/** The variants of a product as VariantRows (each with its product id). */
export const variantsOf = (p: Pick<ProductRow, 'id' | 'variants'>): VariantRow[] => p.variants.map((v) => ({ ...v, productId: p.id }));

/**
 * Chain-wide availability of one product's variants, published by the server's roll-up [P2]: one
 * row per product (like the catalog), holding every variant's figures per location.
 */
export interface AvailabilityRow {
  productId: string;
  /** Available (on hand − reserved) per SKU, then per location. */
  by: Record<string, Record<string, number>>;
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
  /**
   * Rows written before [T2] carried the PIN's PBKDF2 hash here. Migration 0003 moved them to the
   * server-only table `associate_pins`: the store stream carries no PIN material any more.
   */
  pinHash?: string;
  pinSalt?: string;
  pinIterations?: number;
  active: boolean;
}

export interface SaleLine {
  sku: Sku;
  name: string;
  qty: number;
  unitPrice: Minor;
  lineTotal: Minor;
  tax: Minor;
  /** What was taken off the line (its own discount and its share of the cart's) [MO3]. */
  discount?: Minor;
  /** Reason code of the line's own discount. */
  discountReason?: string;
  /** The catalog's price when the sold price differs from it (an approved override or a mismatch) [T3]. */
  catalogPrice?: Minor;
}

export interface Tender {
  kind: 'cash' | 'card' | 'store-credit' | 'loyalty';
  amount: Minor;
  /** The card terminal's authorisation reference [SE2]. */
  ref?: string;
  /** Card taken offline, stored to be forwarded [SE2]. */
  offline?: boolean;
  /** Points a loyalty tender redeemed. */
  points?: number;
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
  /** Before discounts (sale.complete v2). */
  subtotal?: Minor;
  /** All discounts together, the cart's included. */
  discount?: Minor;
  cartDiscountReason?: string;
  /** The manager who approved a discount above the limit or a price override [MO3]. */
  approvedBy?: AssociateId;
  /** Points the customer earned with this sale, and their balance after it, for the receipt [MO4]. */
  pointsEarned?: number;
  pointsBalance?: number;
  /** [OR1] The customer order this sale paid for (order.create): its lines left no stock here. */
  orderId?: string;
}

export type ExceptionKind =
  | 'oversold'
  | 'loyalty-overdraft'
  | 'return-unverified'
  | 'unsourceable'
  | 'rejected-command'
  | 'seq-conflict'
  | 'cash-over-short'
  | 'clock-skew'
  | 'unverified-actor'
  | 'price-mismatch'
  | 'store-credit-overdraft'
  | 'discount-over-limit'
  | 'offline-limit'
  /** [J1][EX1] A follow-up or scheduled job that keeps failing on the server (chain-level queue). */
  | 'job-failing'
  | 'over-returned';

export interface ExceptionRow {
  id: string;
  storeId: LocationId;
  kind: ExceptionKind;
  message: string;
  details: Record<string, unknown>;
  raisedAt: string;
  commandId?: string;
  /** [EX1] Who made the command that raised it: an associate id, `system` or `channel:<name>`. */
  by?: string;
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

/** Structured profile fields [CL1]; each merges as one value, last writer (by HLC) wins. */
export const CUSTOMER_DOC_FIELDS = ['addresses', 'sizes', 'favoriteBrands', 'favoriteColors'] as const;
export type CustomerDocField = (typeof CUSTOMER_DOC_FIELDS)[number];

/** A postal address on a profile [CL1]. */
export interface CustomerAddress {
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

/**
 * One member of an add/remove set (tags, consents, wishlist) [CL3]: whether it is in, and the HLC of
 * the add or remove that said so. The latest HLC wins, so concurrent adds and removes converge in
 * any order; `source` and `by` record where and who (a consent's provenance).
 */
export interface SetMember {
  on: boolean;
  at: Hlc;
  source?: string;
  by?: string;
}
export type SetState = Record<string, SetMember>;

export interface CustomerRow {
  id: CustomerId;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  birthday: string;
  tier: string;
  /** HLC of the write that set each field: the per-field merge key. */
  clock: Partial<Record<CustomerField | CustomerDocField, Hlc>>;
  homeStoreId?: LocationId;
  points: number;
  storeCredit: Minor;
  lifetimeSpend: Minor;
  createdAt: string;
  addresses?: CustomerAddress[];
  /** Size per category, e.g. { Shoes: "38", Tops: "M" }. */
  sizes?: Record<string, string>;
  favoriteBrands?: string[];
  favoriteColors?: string[];
  tags?: SetState;
  /** Marketing consents, members "email" and "sms" [CL1]. */
  consents?: SetState;
  /** Wished-for SKUs. */
  wishlist?: SetState;
  /** HLC of the customer.create that made the profile, when a tablet made it. */
  createdBy?: { at: Hlc; storeId: string; actor: string };
  /** Profiles merged into this one [CL4]: their notes stay under their ids and show here. */
  mergedFrom?: CustomerId[];
  /**
   * [LO2] The next points to expire and the last day they are valid (`YYYY-MM-DD`), from the ledger
   * (set by the server, like `points`); absent when nothing is due to expire.
   */
  pointsExpiring?: { points: number; on: string };
}

/** [CL4] A profile merged away: commands naming `id` apply to `to` instead. */
export interface RedirectRow {
  id: CustomerId;
  to: CustomerId;
  at: Hlc;
  by: AssociateId;
  /**
   * [CL6] The profile was erased at the customer's request (`to` is `id` itself): commands naming it
   * are answered in words, and nothing personal is kept. The row holds only the opaque id.
   */
  erased?: true;
}

/** One purchase, order or return in a customer's history, as the tablet shows it offline [CL1]. */
export interface HistoryEntry {
  /** The sale's, order's or return's id. */
  id: string;
  kind: 'sale' | 'order' | 'return';
  channel: 'store' | 'web';
  storeId: LocationId;
  /** Receipt or order number. */
  number: string;
  /** ISO time. */
  at: string;
  currency: Currency;
  /** Negative for a return. */
  total: Minor;
  status?: string;
  lines: { sku: Sku; name: string; qty: number; amount: Minor }[];
}

/**
 * The compact per-customer purchase history the server publishes on the customers stream [CL1][M1]:
 * sales in any store, web orders and returns, newest first, so a tablet shows them offline.
 */
export interface HistoryRow {
  customerId: CustomerId;
  entries: HistoryEntry[];
  /** Entries ever recorded, including any dropped from the bounded list. */
  count: number;
  /** [LO2] The points history: managers' adjustments and expiries, newest first (bounded). */
  points?: PointsEvent[];
}

/** [LO2] A line of a customer's points history: who moved how many points, when and why. */
export interface PointsEvent {
  /** The ledger entry's id. */
  id: string;
  kind: 'adjust' | 'expire';
  /** Signed: added (+) or taken (−). */
  points: number;
  /** ISO time. */
  at: string;
  /** adjust: the associate who made it, and the manager who approved it. */
  by?: AssociateId;
  byName?: string;
  approvedBy?: AssociateId;
  approvedByName?: string;
  /** adjust: one of ADJUST_REASONS, and the associate's words. */
  reason?: string;
  note?: string;
  /** expire: the last day the expired points were valid. */
  validUntil?: string;
}

export interface NoteRow {
  id: string;
  customerId: CustomerId;
  text: string;
  author: AssociateId;
  authorName: string;
  at: string;
}

/** `sourcing`: placed at a till [OR1], waiting for the server to source it [OR2]. */
export type OrderStatus = 'sourcing' | 'placed' | 'picking' | 'ready' | 'short' | 'collected' | 'expired' | 'cancelled';

export interface OrderLine {
  sku: Sku;
  name: string;
  qty: number;
  unitPrice: Minor;
  /** [OR1] What the customer paid for the line (discounts and tax applied), when it differs from qty × unitPrice: what a refund gives back. */
  paid?: Minor;
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
  kind: 'placed' | 'sourced' | 'picking' | 'ready' | 'collected' | 'expired' | 'cancelled' | 'short' | 'refund' | 'reassigning' | 'reassigned' | 'unsourceable';
  /** ISO time (server time on the server). */
  at: string;
  /** The SKU of a short (or reassigned) line. */
  sku?: string;
  /** A refund's amount (minor units). */
  amount?: Minor;
  /** [PQ1] Where a reassigned line was short. */
  from?: LocationId;
  /** [PQ1] Where a reassigned line is reserved now (more than one when split). */
  sourceIds?: LocationId[];
  /** [PQ1] The order's ready-by after a reassignment (ISO). */
  readyBy?: string;
}

/**
 * [PQ1] A line marked short and sent back to sourcing: where it was short (never sourced there again),
 * whether the server is still looking (`sourcing`), found it (`sourced`, reserved at `shares`) or
 * found nothing (`unsourceable`: open for a decision). Entries are never removed, so an order keeps
 * every stream it was in [M1].
 */
export interface LineReassign {
  sku: string;
  shortAt: LocationId[];
  state: 'sourcing' | 'sourced' | 'unsourceable';
  shares: { locationId: LocationId; qty: number }[];
  /** The mark-short command that asked; its follow-up answers only that request. */
  request: string;
  at: string;
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
  /** [PQ1] Lines marked short and reassigned through sourcing, one entry per SKU. */
  reassigned?: LineReassign[];
  refunded?: Minor;
  history?: OrderEvent[];
  /** [OR1] Ordering from the till: what the associate chose, where, and what the tablet saw. */
  storeOrder?: StoreOrderFields;
}

/** How an order placed at a till is fulfilled [OR1]. */
export type StoreOrderKind = 'ship-home' | 'ship-store' | 'pickup-other';

/** One line's share at one location after sourcing [OR2]: a line may be split across locations. */
export interface Allocation {
  /** Index of the order line. */
  line: number;
  sku: string;
  locationId: LocationId;
  qty: number;
}

export interface StoreOrderFields {
  kind: StoreOrderKind;
  /** The store whose till placed the order (its stream always carries the order [OR3]). */
  placedIn: LocationId;
  /** Where the customer collects (ship-store: the placing store; pickup-other: the chosen store). */
  pickupStoreId?: LocationId;
  /** The sale (receipt) that paid for the order. */
  saleId: string;
  /** Available per location of each line as the tablet saw it when placing, and when the figures were computed. */
  seen: { sku: string; where: { locationId: string; available: number }[] }[];
  seenAt?: number;
  /** [OR2] Where each line's stock is reserved, once sourced. */
  allocations?: Allocation[];
  /** SKUs (with quantities) no location could cover: the customer is to be contacted. */
  unsourced?: { sku: string; qty: number }[];
  /** [OR3] Ship-to-home: the promised delivery date (ISO day, YYYY-MM-DD). */
  promisedBy?: string;
  /** When the server sourced it (ISO). */
  sourcedAt?: string;
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
  /** [RE5] Cash refunded from the drawer for returns (absent on shifts from before returns). */
  refunds?: Minor;
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

/**
 * [EX2] A tablet's sync as the server last saw it (one row per device, on its store's stream): the
 * server writes it when a store-stream pull reports the tablet's unsent commands, so the Today screen
 * of every tablet of the store shows last sync and unsent per tablet, offline too.
 */
export interface TabletRow {
  /** The device id. */
  id: string;
  storeId: LocationId;
  name: string;
  deviceCode: string;
  /** Server time of its last pull that reached the server (ISO), accurate to TABLET_SYNC_EVERY_MS. */
  lastSyncAt: string;
  /** Commands in its outbox when it pulled. */
  unsent: number;
  /** When the oldest of them was made (ISO, the tablet's clock), if any. */
  oldestUnsentAt?: string;
}

/** [RE6] What happens to a returned item: back on the shelf here, set aside as damaged, or sent back to the vendor. */
export const RETURN_DISPOSITIONS = ['restock', 'damaged', 'return-to-vendor'] as const;
export type ReturnDisposition = (typeof RETURN_DISPOSITIONS)[number];
/** [RE6] Why an item came back: a fixed list, so reports can group them. */
export const RETURN_REASONS = ['wrong-size', 'changed-mind', 'defective', 'not-as-described', 'arrived-late', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
/** [RE5] Where a refund went: cash from the drawer, the card, store credit, or a refund request to the web payment. */
export type RefundKind = 'cash' | 'card' | 'store-credit' | 'web';

export interface ReturnLine {
  /** Index of the line on the purchase; absent for a no-receipt return. */
  line?: number;
  sku: Sku;
  name: string;
  qty: number;
  /** What this line refunds (the server's figure from the purchase's prices) [T3]. */
  amount: Minor;
  /**
   * [RE1] Without a purchase line: the unit price it was taken back at, and where that came from
   * (the lowest price it sold for in the window, or today's catalog price) (decision 65).
   */
  unitPrice?: Minor;
  priceSource?: 'lowest' | 'catalog';
  /** [RE1] The unit price the tablet quoted, when the server priced the line differently (decision 66). */
  quoted?: Minor;
  disposition: ReturnDisposition;
  reason: ReturnReason;
}

export interface Refund {
  kind: RefundKind;
  amount: Minor;
  /** The card terminal's refund reference, or the web payment's reference. */
  ref?: string;
}

/** The purchase a return takes back [RE1]: a store sale or a web order, in any store. */
export interface ReturnPurchase {
  kind: 'sale' | 'order';
  id: string;
  number: string;
  storeId: LocationId;
}

/** A return (a document like a sale) on the stream of the store that took it back [RE1]–[RE7]. */
export interface ReturnRow {
  id: string;
  /** Numbered like receipts, from the same gapless counter of the device [MO4]. */
  number: string;
  storeId: LocationId;
  deviceId: string;
  at: string; // HLC of the command
  actor: AssociateId;
  purchase?: ReturnPurchase;
  /** [RE7] Taken offline against a web order the tablet had never seen. */
  unverified?: boolean;
  /** [RE1] Without a purchase: store credit at the lowest price, with a manager's approval. */
  noReceipt?: boolean;
  customerId?: CustomerId;
  currency: Currency;
  lines: ReturnLine[];
  refunds: Refund[];
  /** What the returned goods were worth (money refunds plus the value of points restored). */
  total: Minor;
  pointsReversed?: number;
  pointsRestored?: number;
  approvedBy?: AssociateId;
  shiftId?: string;
  /** [RE8] The sale of an exchange made in the same flow. */
  exchangeSaleId?: string;
}

/**
 * [RE3] What has been returned of one purchase, across every store and tablet: on the chain stream,
 * so every tablet knows it and the server serialises returns of one purchase on it.
 */
export interface ReturnTallyRow {
  purchaseId: string;
  kind: 'sale' | 'order';
  number: string;
  storeId: LocationId;
  /** Quantity returned per purchase line (aligned with the purchase's lines). */
  returned: number[];
  /** Value of the goods returned so far (minor units), which pro-rates points and tenders. */
  value: Minor;
  /** Refunded so far per refund kind, and points restored and taken back. */
  refunded: Partial<Record<RefundKind, Minor>>;
  pointsRestored: number;
  pointsReversed: number;
  returns: { id: string; number: string; storeId: LocationId; at: string; total: Minor; lines: { line: number; sku: Sku; qty: number }[]; refunds: Refund[] }[];
}

/**
 * [RE1] The lowest unit price a SKU sold for in the return window, per currency, where it is below
 * the catalog's price (decision 65): published on the `network` stream by the server's roll-up, so
 * a tablet prices a no-receipt return offline.
 */
export interface PriceLowRow {
  sku: string;
  lows: Partial<Record<Currency, Minor>>;
  /** First day (ISO date, UTC) of the window the lows cover. */
  since: string;
  /** When the roll-up computed them (server ms). */
  at: number;
}

/** Every synced table, with the row type it holds. */
export interface Tables {
  locations: LocationRow;
  products: ProductRow;
  productAvailability: AvailabilityRow;
  stock: StockRow;
  associates: AssociateRow;
  sales: SaleRow;
  exceptions: ExceptionRow;
  customers: CustomerRow;
  notes: NoteRow;
  orders: OrderRow;
  shifts: ShiftRow;
  registers: RegisterRow;
  history: HistoryRow;
  redirects: RedirectRow;
  tablets: TabletRow;
  returns: ReturnRow;
  returnTallies: ReturnTallyRow;
  priceLows: PriceLowRow;
}
export type TableName = keyof Tables;

export const TABLE_NAMES: readonly TableName[] = [
  'locations',
  'products',
  'productAvailability',
  'stock',
  'associates',
  'sales',
  'exceptions',
  'customers',
  'notes',
  'orders',
  'shifts',
  'registers',
  'history',
  'redirects',
  'tablets',
  'returns',
  'returnTallies',
  'priceLows',
];

/** The primary key of each table's rows. */
export const keyOf: { [T in TableName]: (row: Tables[T]) => string } = {
  locations: (r) => r.id,
  products: (r) => r.id,
  productAvailability: (r) => r.productId,
  stock: (r) => r.key,
  associates: (r) => r.id,
  sales: (r) => r.id,
  exceptions: (r) => r.id,
  customers: (r) => r.id,
  notes: (r) => r.id,
  orders: (r) => r.id,
  shifts: (r) => r.id,
  registers: (r) => r.id,
  history: (r) => r.customerId,
  redirects: (r) => r.id,
  tablets: (r) => r.id,
  returns: (r) => r.id,
  returnTallies: (r) => r.purchaseId,
  priceLows: (r) => r.sku,
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
      return 'catalog';
    case 'locations':
    case 'productAvailability':
    case 'priceLows':
      return 'network';
    case 'customers':
    case 'notes':
    case 'history':
    case 'redirects':
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
    case 'tablets':
      return `store:${(row as TabletRow).storeId}`;
    case 'returns':
      return `store:${(row as ReturnRow).storeId}`;
    case 'returnTallies':
      return 'chain';
    default:
      throw new Error(`Unknown table ${String(table)}`);
  }
}

export const isStreamName = (s: string): s is StreamName =>
  s === 'catalog' || s === 'network' || s === 'customers' || s === 'chain' || /^store:[A-Z0-9]{2,12}$/.test(s);
