// The deterministic demo-chain generator: stores, warehouse, catalog, stock, associates, customers
// with purchase histories, and web orders awaiting pickup — all from a seed and an injected `now`.
import type {
  CustomerRow,
  LocationRow,
  OrderLine,
  OrderRow,
  ProductRow,
  Role,
  SaleLine,
  SaleRow,
  StockRow,
  TaxMode,
  VariantRow,
} from '../../../src/core/model';
import { stockKey } from '../../../src/core/model';
import {
  asAssociateId,
  asCustomerId,
  asLocationId,
  asSku,
  type AssociateId,
  type Currency,
  type Minor,
} from '../../../src/core/shared/brand';
import { add, minor, sum, times, ZERO } from '../../../src/core/shared/money';
import { priceCart } from '../../../src/core/pricing/price-cart';
import { encodeHlc } from '../../../src/core/shared/hlc';
import { receiptNumber, uuidv7 } from '../../../src/core/shared/ids';
import { pointsEarned, POINTS_PER_UNIT } from '../../../src/core/loyalty/points';
import { makeEan13 } from '../../../src/core/catalog/barcode';
import { Rng } from './random';
import {
  ADJECTIVES,
  BRANDS,
  COLLECTIONS,
  COLOURS,
  DETAILS,
  EMAIL_DOMAINS,
  FITS,
  NAMES,
  PRODUCT_TYPES,
  SEASONS,
  SIZE_RUNS,
  sizeCode,
  type Colour,
  type Lang,
  type Origin,
  type ProductType,
} from './vocab';

export interface SeedOptions {
  seed: number;
  /** Exact number of variants (SKUs) in the catalog. */
  skus: number;
  /** Number of stores (S01…); the warehouse W01 comes on top. */
  stores: number;
  customers: number;
  /** Average number of past sales per customer (default 2). */
  salesPerCustomer?: number;
  /** Web orders waiting to be picked up at S01 (default 12). */
  ordersAwaitingPickup?: number;
  /** The generator's "now" in ms since epoch: injected so output depends on options only. */
  now: number;
}

/** The demo chain's defaults; callers add `now`. */
export const DEFAULT_SEED = {
  seed: 42,
  skus: 20_000,
  stores: 8,
  customers: 5_000,
  salesPerCustomer: 2,
  ordersAwaitingPickup: 12,
} as const satisfies Omit<SeedOptions, 'now'>;

export interface DemoAssociate {
  id: string;
  storeId: string;
  name: string;
  role: Role;
  /** In clear: the loader hashes it (PBKDF2) before anything is stored [A4]. */
  pin: string;
}

export interface GeneratedChain {
  locations: LocationRow[];
  /** Product documents, each with its variants embedded (what the catalog stream carries). */
  products: ProductRow[];
  /** Every variant with its product id, flat: the generator's and tests' view of the SKUs (not a stored table). */
  variants: VariantRow[];
  /** One row per (location, SKU) held there; `key` is stockKey(). */
  stock: StockRow[];
  associates: DemoAssociate[];
  customers: CustomerRow[];
  sales: SaleRow[];
  orders: OrderRow[];
}

export const DEMO_STORE_ID = 'S01';
export const WAREHOUSE_ID = 'W01';
/** Device code of receipts imported from the old till system (not a real tablet). */
export const HISTORIC_DEVICE_CODE = 'T00';
export const SEED_DEVICE_ID = 'seed';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** BRL prices follow EUR at roughly this rate, then get a local .90 ending. */
const BRL_PER_EUR = 5.5;

interface CountryRules {
  country: string;
  origin: Origin;
  currency: Currency;
  taxMode: TaxMode;
  taxRates: Record<string, number>;
  locale: string;
  timeZone: string;
  /** Standard-time offset, only to place historic sales inside opening hours. */
  utcOffsetHours: number;
}

const PT: CountryRules = { country: 'PT', origin: 'pt', currency: 'EUR', taxMode: 'inclusive', taxRates: { standard: 230, reduced: 60 }, locale: 'pt-PT', timeZone: 'Europe/Lisbon', utcOffsetHours: 0 };
const IT: CountryRules = { country: 'IT', origin: 'it', currency: 'EUR', taxMode: 'inclusive', taxRates: { standard: 220, reduced: 100 }, locale: 'it-IT', timeZone: 'Europe/Rome', utcOffsetHours: 1 };
const BR: CountryRules = { country: 'BR', origin: 'br', currency: 'BRL', taxMode: 'inclusive', taxRates: { standard: 170, reduced: 70 }, locale: 'pt-BR', timeZone: 'America/Sao_Paulo', utcOffsetHours: -3 };

interface SiteDef {
  id: string;
  name: string;
  city: string;
  lat: number;
  lon: number;
  rules: CountryRules;
  /** Relative share of customers who call this store home. */
  pull: number;
}

/** Stores in id order; the first four are part of the UI contract. */
const STORE_DEFS: readonly SiteDef[] = [
  { id: 'S01', name: 'Lisboa Chiado', city: 'Lisbon', lat: 38.7107, lon: -9.1425, rules: PT, pull: 3 },
  { id: 'S02', name: 'Porto', city: 'Porto', lat: 41.1475, lon: -8.6068, rules: PT, pull: 2 },
  { id: 'S03', name: 'Milano', city: 'Milan', lat: 45.4654, lon: 9.1895, rules: IT, pull: 2 },
  { id: 'S04', name: 'São Paulo', city: 'São Paulo', lat: -23.5614, lon: -46.6559, rules: BR, pull: 2 },
  { id: 'S05', name: 'Lisboa Colombo', city: 'Lisbon', lat: 38.7548, lon: -9.1889, rules: PT, pull: 1.5 },
  { id: 'S06', name: 'Braga', city: 'Braga', lat: 41.5503, lon: -8.4201, rules: PT, pull: 1 },
  { id: 'S07', name: 'Roma', city: 'Rome', lat: 41.9029, lon: 12.48, rules: IT, pull: 1.5 },
  { id: 'S08', name: 'Rio de Janeiro', city: 'Rio de Janeiro', lat: -22.9838, lon: -43.2044, rules: BR, pull: 1.5 },
  { id: 'S09', name: 'Coimbra', city: 'Coimbra', lat: 40.2111, lon: -8.4292, rules: PT, pull: 1 },
  { id: 'S10', name: 'Faro', city: 'Faro', lat: 37.0163, lon: -7.9352, rules: PT, pull: 1 },
  { id: 'S11', name: 'Torino', city: 'Turin', lat: 45.0703, lon: 7.6869, rules: IT, pull: 1 },
  { id: 'S12', name: 'Firenze', city: 'Florence', lat: 43.771, lon: 11.2536, rules: IT, pull: 1 },
  { id: 'S13', name: 'Belo Horizonte', city: 'Belo Horizonte', lat: -19.932, lon: -43.938, rules: BR, pull: 1 },
  { id: 'S14', name: 'Curitiba', city: 'Curitiba', lat: -25.4296, lon: -49.2713, rules: BR, pull: 1 },
  { id: 'S15', name: 'Napoli', city: 'Naples', lat: 40.8399, lon: 14.252, rules: IT, pull: 1 },
  { id: 'S16', name: 'Funchal', city: 'Funchal', lat: 32.6496, lon: -16.9086, rules: PT, pull: 1 },
];
export const MAX_STORES = STORE_DEFS.length;

/** The central warehouse in the logistics belt north of Lisbon. */
const WAREHOUSE_DEF: SiteDef = { id: 'W01', name: 'Armazém Central', city: 'Azambuja', lat: 39.07, lon: -8.868, rules: PT, pull: 0 };

/** Phone area codes of the Brazilian stores' cities (others fall back to São Paulo's). */
const BR_AREA: Record<string, string> = { S04: '11', S08: '21', S13: '31', S14: '41' };

const FIXED_S01_ASSOCIATES: readonly DemoAssociate[] = [
  { id: 'A-S01-MARTA', storeId: 'S01', name: 'Marta', role: 'manager', pin: '1111' },
  { id: 'A-S01-CARLOS', storeId: 'S01', name: 'Carlos', role: 'cashier', pin: '2222' },
  { id: 'A-S01-ANA', storeId: 'S01', name: 'Ana', role: 'associate', pin: '3333' },
];

function checkOptions(o: SeedOptions): void {
  const whole = (n: number, name: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`Seed option ${name} must be a whole number from ${min} to ${max}, got ${n}`);
  };
  whole(o.skus, 'skus', 0);
  whole(o.stores, 'stores', 1, MAX_STORES);
  whole(o.customers, 'customers', 0, 9_999_999);
  whole(o.salesPerCustomer ?? 0, 'salesPerCustomer', 0);
  whole(o.ordersAwaitingPickup ?? 0, 'ordersAwaitingPickup', 0, 899_999);
  if (!Number.isFinite(o.now)) throw new RangeError('Seed option now must be a time in ms since epoch');
}

/** Generates the whole demo chain. Same options → deep-equal output. */
export function generateChain(opts: SeedOptions): GeneratedChain {
  checkOptions(opts);
  const root = new Rng(opts.seed);
  // One generator per section: changing the number of customers must not reshuffle the catalog.
  const rngCatalog = root.fork('catalog');
  const rngStock = root.fork('stock');
  const rngStaff = root.fork('associates');
  const rngCustomers = root.fork('customers');
  const rngOrders = root.fork('orders');

  const storeDefs = STORE_DEFS.slice(0, opts.stores);
  const locations = [...storeDefs, WAREHOUSE_DEF].map(toLocation);
  const { products, variants, productOf } = generateCatalog(rngCatalog, opts.skus, opts.now);
  const stock = generateStock(rngStock, storeDefs, variants, opts.now);
  const associates = generateAssociates(rngStaff, storeDefs);
  const { customers, sales, names } = generateCustomersAndSales(rngCustomers, opts, storeDefs, locations, associates, products, variants, productOf);
  const orders = generateOrders(rngOrders, opts, customers, names, stock, variants, products, productOf);
  return { locations, products, variants, stock, associates, customers, sales, orders };
}

function toLocation(d: SiteDef): LocationRow {
  const r = d.rules;
  return {
    id: asLocationId(d.id),
    code: d.id,
    name: d.name,
    city: d.city,
    country: r.country,
    kind: d.id === WAREHOUSE_DEF.id ? 'warehouse' : 'store',
    lat: d.lat,
    lon: d.lon,
    currency: r.currency,
    taxMode: r.taxMode,
    taxRates: { ...r.taxRates },
    locale: r.locale,
    timeZone: r.timeZone,
  };
}

// ---------------------------------------------------------------- catalog

/** A shelf price in euro cents with a retail ending: 14.99, 39.95, 149.95. */
function eurPrice(rng: Rng, [lo, hi]: readonly [number, number]): number {
  const whole = rng.int(lo, hi);
  if (whole < 20) return whole * 100 - 1;
  const step = whole < 100 ? 5 : 10;
  const snapped = Math.max(step, Math.round(whole / step) * step);
  return snapped * 100 - 5;
}

/** The Brazilian price: converted, rounded to whole reais, then the local ",90" ending. */
const brlFromEur = (eurMinor: number) => Math.max(1, Math.round((eurMinor * BRL_PER_EUR) / 100)) * 100 - 10;

function pickColours(rng: Rng, n: number): Colour[] {
  const weighted = COLOURS.map((c) => [c, c.weight] as const);
  const out: Colour[] = [];
  while (out.length < n) {
    const c = rng.weighted(weighted);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

const FITTED_RUNS = new Set<string>(['womenAlpha', 'menAlpha', 'womenWaist', 'menWaist', 'kidsAge']);
const LANGS: readonly (readonly [Lang, number])[] = [['pt', 45], ['en', 30], ['it', 25]];
const COLOUR_COUNTS: readonly (readonly [number, number])[] = [[1, 25], [2, 35], [3, 25], [4, 15]];

function generateCatalog(rng: Rng, skuCount: number, now: number) {
  const products: ProductRow[] = [];
  const variants: VariantRow[] = [];
  /** Index into products for each variant, parallel to `variants`: O(1) lookups later. */
  const productOf: number[] = [];
  const typeWeights = PRODUCT_TYPES.map((t) => [t, t.weight] as const);
  const year = new Date(now).getUTCFullYear();
  let styleNo = 10_000;
  let barcodeNo = 0;

  while (variants.length < skuCount) {
    styleNo++;
    const type: ProductType = rng.weighted(typeWeights);
    const lang = rng.weighted(LANGS);
    const collection = rng.pick(COLLECTIONS);
    const brand = rng.pick(BRANDS);
    const material = rng.pick(type.materials);
    const fitted = FITTED_RUNS.has(type.sizeRun);
    const fit = rng.pick(FITS);
    const season = rng.pick(SEASONS);
    const productId = `VT-${styleNo}`;
    const name = `${type.names[lang]} ${collection}`;
    const adjective = rng.pick(ADJECTIVES);
    const description =
      `${capitalise(adjective)} ${type.names.en.toLowerCase()} in ${material.toLowerCase()}` +
      `${fitted ? `, ${fit.toLowerCase()} fit` : ''}, from the ${collection} collection by ${brand}. ${rng.pick(DETAILS)}`;
    const attributes: Record<string, string> = {
      material,
      season: season === 'Core' ? 'Core' : `${season} ${year}`,
      gender: type.gender,
      collection,
    };
    if (fitted) attributes.fit = fit;
    const product: ProductRow = {
      id: productId,
      name,
      brand,
      category: [...type.category],
      description,
      attributes,
      taxClass: type.taxClass ?? 'standard',
      variants: [],
    };
    products.push(product);

    const eur = eurPrice(rng, type.priceEur);
    const prices = { EUR: minor(eur), BRL: minor(brlFromEur(eur)) };
    const colours = pickColours(rng, rng.weighted(COLOUR_COUNTS));
    const sizes = SIZE_RUNS[type.sizeRun];
    const productIndex = products.length - 1;
    outer: for (const colour of colours) {
      for (const size of sizes) {
        // The last style is cut short so the catalog has exactly the requested number of SKUs.
        if (variants.length >= skuCount) break outer;
        barcodeNo++;
        const variant = {
          sku: asSku(`VT-${styleNo}-${colour.code}-${sizeCode(size)}`),
          // 560 is GS1 Portugal; a running item number keeps every code unique.
          barcode: makeEan13(`560${String(barcodeNo).padStart(9, '0')}`),
          size,
          color: colour.name,
          prices: { ...prices },
        };
        // The document carries the variant; the flat list is the generator's own view of the SKUs.
        product.variants.push(variant);
        variants.push({ ...variant, productId });
        productOf.push(productIndex);
      }
    }
  }
  return { products, variants, productOf };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---------------------------------------------------------------- stock

function generateStock(rng: Rng, stores: readonly SiteDef[], variants: readonly VariantRow[], now: number): StockRow[] {
  const stock: StockRow[] = [];
  const warehouse = asLocationId(WAREHOUSE_DEF.id);
  for (const v of variants) {
    stock.push({ key: stockKey(warehouse, v.sku), locationId: warehouse, sku: v.sku, onHand: rng.int(10, 200), reserved: 0, at: now });
  }
  for (const s of stores) {
    const loc = asLocationId(s.id);
    for (const v of variants) {
      // Each store ranges about 60 % of the catalog; within it some lines are sold out (0).
      if (!rng.chance(0.6)) continue;
      stock.push({ key: stockKey(loc, v.sku), locationId: loc, sku: v.sku, onHand: rng.int(0, 12), reserved: 0, at: now });
    }
  }
  return stock;
}

// ---------------------------------------------------------------- associates

function generateAssociates(rng: Rng, stores: readonly SiteDef[]): DemoAssociate[] {
  const out: DemoAssociate[] = [];
  const roles: readonly Role[] = ['manager', 'cashier', 'associate'];
  for (const s of stores) {
    if (s.id === DEMO_STORE_ID) {
      out.push(...FIXED_S01_ASSOCIATES.map((a) => ({ ...a })));
      continue;
    }
    const pool = NAMES[s.rules.origin];
    // Sign-in shows a button per first name: keep them distinct within a store, and distinct from
    // the S01 names that the demo instructions mention.
    const taken = new Set(FIXED_S01_ASSOCIATES.map((a) => a.name));
    roles.forEach((role, i) => {
      let name: string;
      do name = rng.pick(rng.chance(0.5) ? pool.female : pool.male);
      while (taken.has(name));
      taken.add(name);
      out.push({ id: `A-${s.id}-${i + 1}`, storeId: s.id, name, role, pin: '1234' });
    });
  }
  return out;
}

// ---------------------------------------------------------------- customers and sales

const TIERS: readonly (readonly [string, number])[] = [['', 78], ['silver', 12], ['gold', 7], ['platinum', 3]];
/** Better tiers come from shopping more: they get extra past visits. */
const TIER_EXTRA_SALES: Record<string, number> = { '': 0, silver: 1, gold: 2, platinum: 3 };
const LINE_COUNTS: readonly (readonly [number, number])[] = [[1, 55], [2, 30], [3, 15]];

/** ASCII slug for e-mail local parts: "Conceição" → "conceicao", "D'Angelo" → "dangelo". */
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

const digits = (rng: Rng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
};

function phoneFor(rng: Rng, origin: Origin, storeId: string): string {
  switch (origin) {
    case 'pt':
      return `+351 9${rng.pick(['1', '2', '3', '6'])}${digits(rng, 1)} ${digits(rng, 3)} ${digits(rng, 3)}`;
    case 'it':
      return `+39 3${rng.pick(['2', '3', '4', '5', '8', '9'])}${digits(rng, 1)} ${digits(rng, 3)} ${digits(rng, 4)}`;
    case 'br':
      return `+55 ${BR_AREA[storeId] ?? '11'} 9${digits(rng, 4)}-${digits(rng, 4)}`;
  }
}

interface PendingSale {
  customer: number;
  store: number;
  wall: number;
  lines: SaleLine[];
  total: Minor;
  tax: Minor;
  tender: 'cash' | 'card';
}

function generateCustomersAndSales(
  rng: Rng,
  opts: SeedOptions,
  stores: readonly SiteDef[],
  locations: readonly LocationRow[],
  associates: readonly DemoAssociate[],
  products: readonly ProductRow[],
  variants: readonly VariantRow[],
  productOf: readonly number[],
) {
  const now = opts.now;
  const avgSales = opts.salesPerCustomer ?? DEFAULT_SEED.salesPerCustomer;
  const storePull = stores.map((s, i) => [i, s.pull] as const);
  const emails = new Set<string>();
  const phones = new Set<string>();
  const usedWalls = new Set<number>();
  const customers: CustomerRow[] = [];
  const names: string[] = [];
  const pending: PendingSale[] = [];
  const startOfToday = Math.floor(now / DAY) * DAY;

  for (let c = 0; c < opts.customers; c++) {
    const home = rng.weighted(storePull);
    const homeDef = stores[home]!;
    // A few Italians live in Portugal and vice versa; Brazilian stores serve Brazilians.
    let origin: Origin = homeDef.rules.origin;
    if (origin !== 'br' && rng.chance(0.06)) origin = origin === 'pt' ? 'it' : 'pt';
    const pool = NAMES[origin];
    const firstName = rng.pick(rng.chance(0.55) ? pool.female : pool.male);
    const lastName = rng.pick(pool.last);
    const tier = rng.weighted(TIERS);

    // Contact details: most have both; a profile always keeps at least one way to reach them.
    const contact = rng.weighted([['both', 82], ['no-phone', 10], ['no-email', 8]] as const);
    let email = '';
    if (contact !== 'no-email') {
      const f = slug(firstName);
      const l = slug(lastName);
      const domain = rng.pick(EMAIL_DOMAINS[origin]);
      const local = rng.pick([`${f}.${l}`, `${f}${l}`, `${f}_${l}`, `${f.charAt(0)}${l}`, `${f}.${l}${rng.int(60, 99)}`]);
      email = `${local}@${domain}`;
      for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
      emails.add(email);
    }
    let phone = '';
    if (contact !== 'no-phone') {
      do phone = phoneFor(rng, origin, homeDef.id);
      while (phones.has(phone));
      phones.add(phone);
    }

    const ageYears = rng.int(18, 80);
    const birthday = new Date(now - ageYears * 365.25 * DAY - rng.int(0, 364) * DAY).toISOString().slice(0, 10);

    // Purchase history: mostly at home, sometimes at another store of the same currency (so a
    // customer's lifetime spend never mixes euros and reais).
    const sameCurrency = stores.flatMap((s, i) => (s.rules.currency === homeDef.rules.currency ? [i] : []));
    const count = avgSales > 0 ? rng.int(0, 2 * avgSales) + TIER_EXTRA_SALES[tier]! : 0;
    let earned = 0;
    let spend = ZERO;
    let earliest = now;
    for (let k = 0; k < count; k++) {
      const store = rng.chance(0.75) ? home : rng.pick(sameCurrency);
      const def = stores[store]!;
      const loc = locations[store]!;
      // Within opening hours (10:00–20:00 local) on one of the last 365 days.
      let wall = startOfToday - rng.int(1, 365) * DAY + (10 - def.rules.utcOffsetHours) * HOUR + rng.int(0, 10 * HOUR - 1);
      while (usedWalls.has(wall)) wall++; // unique HLCs, so the history has a strict order
      usedWalls.add(wall);
      earliest = Math.min(earliest, wall);

      const lines: SaleLine[] = [];
      const rates: number[] = [];
      const lineCount = Math.min(rng.weighted(LINE_COUNTS), variants.length);
      const chosen = new Set<number>();
      while (lines.length < lineCount) {
        const vi = rng.int(0, variants.length - 1);
        if (chosen.has(vi)) continue;
        chosen.add(vi);
        const v = variants[vi]!;
        const p = products[productOf[vi]!]!;
        const qty = rng.chance(0.1) ? 2 : 1;
        const unitPrice = v.prices[loc.currency] ?? minor(0);
        lines.push({ sku: v.sku, name: p.name, qty, unitPrice, lineTotal: ZERO, tax: ZERO });
        rates.push(loc.taxRates[p.taxClass] ?? 0);
      }
      if (lines.length === 0) continue; // empty catalog: no history to invent
      // The one pricing function sale.complete uses [MO2], so imported history looks like tablet sales.
      const priced = priceCart({ taxMode: loc.taxMode, lines: lines.map((l, i) => ({ qty: l.qty, unitPrice: l.unitPrice, taxRate: rates[i]! })) });
      lines.forEach((l, i) => Object.assign(l, { lineTotal: priced.lines[i]!.lineTotal, tax: priced.lines[i]!.tax }));
      const { total, tax } = priced;
      pending.push({ customer: c, store, wall, lines, total, tax, tender: rng.chance(0.65) ? 'card' : 'cash' });
      earned += pointsEarned(total, tier);
      spend = add(spend, total);
    }

    // Some customers have spent points in whole units (100 points each).
    let points = earned;
    if (earned >= 2 * POINTS_PER_UNIT && rng.chance(0.25)) {
      points -= POINTS_PER_UNIT * rng.int(1, Math.floor(earned / POINTS_PER_UNIT / 2));
    }
    const createdAt = new Date(earliest - rng.int(1, 1000) * DAY - rng.int(0, DAY - 1)).toISOString();
    customers.push({
      id: asCustomerId(`C${String(c + 1).padStart(6, '0')}`),
      firstName,
      lastName,
      email,
      phone,
      birthday,
      tier,
      clock: {},
      homeStoreId: asLocationId(homeDef.id),
      points,
      storeCredit: rng.chance(0.03) ? minor(rng.int(1, 12) * 500) : ZERO,
      lifetimeSpend: spend,
      createdAt,
    });
    names.push(`${firstName} ${lastName}`);
  }

  // Receipt numbers are gapless per store in chronological order, so number after sorting by time.
  pending.sort((a, b) => a.wall - b.wall);
  const tillStaff = stores.map((s) => associates.filter((a) => a.storeId === s.id && a.role !== 'associate').map((a) => asAssociateId(a.id)));
  const receiptCounters = stores.map(() => 0);
  const random = (n: number) => rng.bytes(n);
  const sales: SaleRow[] = pending.map((p) => {
    const loc = locations[p.store]!;
    const n = ++receiptCounters[p.store]!;
    const actor: AssociateId = rng.pick(tillStaff[p.store]!);
    return {
      id: uuidv7(p.wall, random),
      storeId: loc.id,
      deviceId: SEED_DEVICE_ID,
      receiptNo: receiptNumber(loc.code, HISTORIC_DEVICE_CODE, n),
      at: encodeHlc({ wall: p.wall, counter: 0, node: SEED_DEVICE_ID }),
      actor,
      customerId: customers[p.customer]!.id,
      currency: loc.currency,
      lines: p.lines,
      tenders: [{ kind: p.tender, amount: p.total }],
      total: p.total,
      tax: p.tax,
      change: ZERO,
    };
  });
  return { customers, sales, names };
}

// ---------------------------------------------------------------- orders awaiting pickup

function generateOrders(
  rng: Rng,
  opts: SeedOptions,
  customers: readonly CustomerRow[],
  names: readonly string[],
  stock: StockRow[],
  variants: readonly VariantRow[],
  products: readonly ProductRow[],
  productOf: readonly number[],
): OrderRow[] {
  const count = opts.ordersAwaitingPickup ?? DEFAULT_SEED.ordersAwaitingPickup;
  if (count === 0 || customers.length === 0) return [];
  const store = asLocationId(DEMO_STORE_ID);
  const shelf = stock.filter((s) => s.locationId === store && s.onHand > 0);
  if (shelf.length === 0) return [];
  const variantIndex = new Map<string, number>();
  variants.forEach((v, i) => variantIndex.set(v.sku, i));

  // Web shoppers who pick up in Lisbon: prefer S01 regulars who left an e-mail (for "ready" mail).
  let buyers = customers.flatMap((c, i) => (c.homeStoreId === store && c.email !== '' ? [i] : []));
  if (buyers.length === 0) buyers = customers.map((_, i) => i);

  const orders: OrderRow[] = [];
  for (let i = 0; i < count; i++) {
    const ci = rng.pick(buyers);
    const customer = customers[ci]!;
    const lineCount = rng.int(1, 3);
    const lines: OrderLine[] = [];
    for (let attempt = 0; lines.length < lineCount && attempt < 50; attempt++) {
      const row = rng.pick(shelf);
      const available = row.onHand - row.reserved;
      if (available < 1 || lines.some((l) => l.sku === row.sku)) continue;
      const qty = available >= 2 && rng.chance(0.15) ? 2 : 1;
      const vi = variantIndex.get(row.sku)!;
      const v = variants[vi]!;
      const p = products[productOf[vi]!]!;
      lines.push({ sku: v.sku, name: p.name, qty, unitPrice: v.prices.EUR ?? minor(0) });
      // Reserved for the order: the shelf shows it as no longer available to walk-in customers.
      row.reserved += qty;
    }
    if (lines.length === 0) break; // S01's shelf is fully reserved
    // Most orders came in within the last two hours and are due later today; every fourth is
    // overdue, so a manager opening the demo sees both, not a queue where everything is late.
    const placed = opts.now - (i % 4 === 3 ? rng.int(3 * HOUR, 26 * HOUR) : rng.int(10 * 60_000, 100 * 60_000));
    // A couple of orders are further along, so every tab of the pickup queue has something.
    const status = i % 6 === 4 ? 'picking' : i % 6 === 5 ? 'ready' : 'placed';
    orders.push({
      id: uuidv7(placed, (n) => rng.bytes(n)),
      number: `W${100_001 + i}`,
      channel: 'web',
      storeId: store,
      customerId: customer.id,
      customerName: names[ci]!,
      lines,
      currency: 'EUR',
      total: sum(lines.map((l) => times(l.unitPrice, l.qty))),
      fulfillment: 'pickup',
      status,
      placedAt: new Date(placed).toISOString(),
      readyBy: new Date(placed + 2 * HOUR).toISOString(),
      paymentRef: `PSP-${pspRef(rng)}`,
    });
  }
  return orders;
}

const PSP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function pspRef(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += PSP_ALPHABET.charAt(rng.int(0, PSP_ALPHABET.length - 1));
  return s;
}
