// Tests for the demo-chain generator: contract ids, catalog shape, stock, histories and orders.
import { describe, it, expect } from 'vitest';
import { generateChain, DEFAULT_SEED, MAX_STORES, type SeedOptions } from './generate';
import { stockKey } from '../../../src/core/model';
import { isValidEan13 } from '../../../src/core/catalog/barcode';
import { decodeHlc, isHlc } from '../../../src/core/shared/hlc';
import { isUuid } from '../../../src/core/shared/ids';
import { minor, taxIncluded } from '../../../src/core/shared/money';
import { pointsEarned, POINTS_PER_UNIT } from '../../../src/core/loyalty/points';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const DAY = 86_400_000;
const SMALL: SeedOptions = { seed: 7, skus: 3_000, stores: 8, customers: 600, ordersAwaitingPickup: 12, now: NOW };
const chain = generateChain(SMALL);
const hasAccent = (s: string) => /[^ -~]/.test(s);

describe('generateChain', () => {
  it('generates exactly the requested number of SKUs', () => {
    for (const skus of [0, 1, 13, 257, 3_000]) {
      const c = generateChain({ ...SMALL, skus, customers: 20 });
      expect(c.variants).toHaveLength(skus);
      expect(new Set(c.variants.map((v) => v.sku)).size).toBe(skus);
    }
  });

  it('every barcode is a valid, unique EAN-13 with the Portuguese GS1 prefix', () => {
    const codes = chain.variants.map((v) => v.barcode);
    expect(codes.every(isValidEan13)).toBe(true);
    expect(codes.every((c) => c.startsWith('560'))).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('is deterministic for a seed', () => {
    expect(generateChain(SMALL)).toEqual(chain);
    const other = generateChain({ ...SMALL, seed: 8 });
    expect(other.products.map((p) => p.name)).not.toEqual(chain.products.map((p) => p.name));
  });

  it('keeps the catalog unchanged when only the number of customers changes', () => {
    const c = generateChain({ ...SMALL, customers: 10 });
    expect(c.products).toEqual(chain.products);
    expect(c.variants).toEqual(chain.variants);
  });

  it('has the contract locations S01–S04 and the warehouse W01', () => {
    const byId = new Map(chain.locations.map((l) => [l.id as string, l]));
    expect(chain.locations.filter((l) => l.kind === 'store')).toHaveLength(8);
    expect(byId.get('S01')).toMatchObject({ name: 'Lisboa Chiado', country: 'PT', currency: 'EUR', taxMode: 'inclusive', taxRates: { standard: 230, reduced: 60 }, locale: 'pt-PT', timeZone: 'Europe/Lisbon' });
    expect(byId.get('S02')).toMatchObject({ name: 'Porto', country: 'PT', currency: 'EUR', taxMode: 'inclusive' });
    expect(byId.get('S03')).toMatchObject({ name: 'Milano', country: 'IT', currency: 'EUR', taxMode: 'inclusive', locale: 'it-IT', timeZone: 'Europe/Rome' });
    expect(byId.get('S03')!.taxRates.standard).toBe(220);
    expect(byId.get('S04')).toMatchObject({ name: 'São Paulo', country: 'BR', currency: 'BRL', taxMode: 'inclusive', locale: 'pt-BR', timeZone: 'America/Sao_Paulo' });
    expect(byId.get('S04')!.taxRates.standard).toBe(170);
    expect(byId.get('W01')).toMatchObject({ name: 'Armazém Central', kind: 'warehouse', code: 'W01' });
    for (const l of chain.locations) {
      expect(l.code).toBe(l.id);
      expect(Math.abs(l.lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(l.lon)).toBeLessThanOrEqual(180);
    }
    // São Paulo is in the southern and western hemispheres; Lisbon north and west.
    expect(byId.get('S04')!.lat).toBeLessThan(0);
    expect(byId.get('S01')!.lon).toBeLessThan(0);
  });

  it('limits the number of stores to what it knows and rejects bad options', () => {
    expect(generateChain({ ...SMALL, skus: 10, customers: 5, stores: 2 }).locations.map((l) => l.id)).toEqual(['S01', 'S02', 'W01']);
    expect(() => generateChain({ ...SMALL, stores: 0 })).toThrow(RangeError);
    expect(() => generateChain({ ...SMALL, stores: MAX_STORES + 1 })).toThrow(RangeError);
    expect(() => generateChain({ ...SMALL, skus: 1.5 })).toThrow(RangeError);
  });

  it('builds styles of one size run in one to four colours, with readable SKU ids', () => {
    const productIds = new Set(chain.products.map((p) => p.id));
    const coloursPerStyle = new Map<string, Set<string>>();
    for (const v of chain.variants) {
      expect(v.sku).toMatch(/^VT-\d+-[A-Z]{3}-[A-Z0-9]+$/);
      expect(v.sku.startsWith(`${v.productId}-`)).toBe(true);
      expect(productIds.has(v.productId)).toBe(true);
      const set = coloursPerStyle.get(v.productId) ?? new Set();
      set.add(v.color);
      coloursPerStyle.set(v.productId, set);
    }
    for (const colours of coloursPerStyle.values()) expect(colours.size).toBeGreaterThanOrEqual(1);
    for (const colours of coloursPerStyle.values()) expect(colours.size).toBeLessThanOrEqual(4);
    for (const p of chain.products) {
      expect(p.category.length).toBe(3);
      expect(['standard', 'reduced']).toContain(p.taxClass);
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.attributes.gender).toBeTruthy();
      expect(p.attributes.material).toBeTruthy();
      expect(p.imageUrl).toBeUndefined();
    }
    expect(chain.products.some((p) => p.taxClass === 'reduced' && p.category[0] === 'Kids')).toBe(true);
  });

  it('names many products with accented Portuguese and Italian words', () => {
    const accented = chain.products.filter((p) => hasAccent(p.name)).length;
    expect(accented / chain.products.length).toBeGreaterThan(0.4);
    expect(chain.products.some((p) => p.name.startsWith('Camisola de Lã'))).toBe(true);
  });

  it('prices every SKU in euros and reais, believably per category', () => {
    for (const v of chain.variants) {
      const eur = v.prices.EUR!;
      const brl = v.prices.BRL!;
      expect(Number.isInteger(eur) && eur > 0).toBe(true);
      expect(brl % 100).toBe(90);
      expect(brl / eur).toBeGreaterThan(5);
      expect(brl / eur).toBeLessThan(6.5);
    }
    const median = (leaf: string) => {
      const ids = new Set(chain.products.filter((p) => p.category[2] === leaf).map((p) => p.id));
      const xs = chain.variants.filter((v) => ids.has(v.productId)).map((v) => v.prices.EUR!).sort((a, b) => a - b);
      return xs[Math.floor(xs.length / 2)]!;
    };
    expect(median('Socks')).toBeLessThan(2_000);
    expect(median('Coats')).toBeGreaterThan(15_000);
  });

  it('stocks every SKU in the warehouse and about 60 % of SKUs in each store', () => {
    const stores = chain.locations.filter((l) => l.kind === 'store');
    // Checked as one boolean per property: an expect per row makes this test slow.
    expect(chain.stock.every((s) => s.key === stockKey(s.locationId, s.sku) && s.at === NOW)).toBe(true);
    expect(new Set(chain.stock.map((s) => s.key)).size).toBe(chain.stock.length);
    const warehouse = chain.stock.filter((s) => s.locationId === 'W01');
    expect(warehouse).toHaveLength(chain.variants.length);
    expect(warehouse.every((s) => s.onHand >= 10 && s.onHand <= 200 && s.reserved === 0)).toBe(true);
    for (const store of stores) {
      const rows = chain.stock.filter((s) => s.locationId === store.id);
      expect(rows.length / chain.variants.length).toBeGreaterThan(0.55);
      expect(rows.length / chain.variants.length).toBeLessThan(0.65);
      expect(rows.every((s) => s.onHand >= 0 && s.onHand <= 12)).toBe(true);
      expect(rows.some((s) => s.onHand === 0)).toBe(true);
    }
  });

  it('the demo store S01 has Marta, Carlos and Ana with their PINs', () => {
    const s01 = chain.associates.filter((a) => a.storeId === 'S01');
    expect(s01).toEqual([
      { id: 'A-S01-MARTA', storeId: 'S01', name: 'Marta', role: 'manager', pin: '1111' },
      { id: 'A-S01-CARLOS', storeId: 'S01', name: 'Carlos', role: 'cashier', pin: '2222' },
      { id: 'A-S01-ANA', storeId: 'S01', name: 'Ana', role: 'associate', pin: '3333' },
    ]);
  });

  it('gives every other store a manager, a cashier and an associate with PIN 1234', () => {
    for (const id of ['S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08']) {
      const staff = chain.associates.filter((a) => a.storeId === id);
      expect(staff.map((a) => a.role)).toEqual(['manager', 'cashier', 'associate']);
      expect(staff.map((a) => a.id)).toEqual([`A-${id}-1`, `A-${id}-2`, `A-${id}-3`]);
      expect(staff.every((a) => a.pin === '1234')).toBe(true);
      expect(new Set(staff.map((a) => a.name)).size).toBe(3);
    }
  });

  it('creates customers with accented names, unique e-mails and phones, and a way to reach them', () => {
    expect(chain.customers).toHaveLength(600);
    expect(chain.customers[0]!.id).toBe('C000001');
    expect(chain.customers[599]!.id).toBe('C000600');
    const emails = chain.customers.map((c) => c.email).filter((e) => e !== '');
    const phones = chain.customers.map((c) => c.phone).filter((p) => p !== '');
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(phones).size).toBe(phones.length);
    expect(emails.length).toBeLessThan(600);
    expect(phones.length).toBeLessThan(600);
    expect(emails.every((e) => /^[a-z0-9._]+@[a-z0-9.]+\.[a-z]+$/.test(e))).toBe(true);
    expect(phones.every((p) => /^\+(351|39|55) [\d -]+$/.test(p))).toBe(true);
    const storeIds = new Set(chain.locations.filter((l) => l.kind === 'store').map((l) => l.id as string));
    for (const c of chain.customers) {
      expect(c.email !== '' || c.phone !== '').toBe(true);
      expect(c.clock).toEqual({});
      expect(storeIds.has(c.homeStoreId!)).toBe(true);
      expect(c.birthday).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Date.parse(c.createdAt)).toBeLessThan(NOW);
      expect(['', 'silver', 'gold', 'platinum']).toContain(c.tier);
    }
    expect(chain.customers.filter((c) => hasAccent(`${c.firstName} ${c.lastName}`)).length).toBeGreaterThan(100);
    expect(chain.customers.filter((c) => c.tier === '').length).toBeGreaterThan(chain.customers.length / 2);
  });

  it('customer points match their purchase history', () => {
    const byCustomer = new Map<string, number[]>();
    for (const s of chain.sales) {
      const totals = byCustomer.get(s.customerId!) ?? [];
      totals.push(s.total);
      byCustomer.set(s.customerId!, totals);
    }
    let redeemers = 0;
    for (const c of chain.customers) {
      const totals = byCustomer.get(c.id) ?? [];
      const earned = totals.reduce((acc, t) => acc + pointsEarned(minor(t), c.tier), 0);
      expect(c.lifetimeSpend).toBe(totals.reduce((a, b) => a + b, 0));
      expect(c.points).toBeGreaterThanOrEqual(0);
      expect(c.points).toBeLessThanOrEqual(earned);
      // Redemptions are in whole currency units.
      expect((earned - c.points) % POINTS_PER_UNIT).toBe(0);
      if (c.points < earned) redeemers++;
      if (totals.length > 0) expect(Date.parse(c.createdAt)).toBeLessThan(Math.min(...chain.sales.filter((s) => s.customerId === c.id).map((s) => decodeHlc(s.at).wall)));
    }
    expect(redeemers).toBeGreaterThan(0);
  });

  it('records about two past sales per customer, in the customer’s currency', () => {
    expect(chain.sales.length / chain.customers.length).toBeGreaterThan(1.5);
    expect(chain.sales.length / chain.customers.length).toBeLessThan(3.5);
    const home = new Map(chain.customers.map((c) => [c.id as string, c.homeStoreId]));
    const currency = new Map(chain.locations.map((l) => [l.id as string, l.currency]));
    for (const s of chain.sales) expect(s.currency).toBe(currency.get(home.get(s.customerId!)!));
  });

  it('numbers historic receipts gaplessly per store in time order, with tax as sale.complete computes it', () => {
    const locs = new Map(chain.locations.map((l) => [l.id as string, l]));
    const variants = new Map(chain.variants.map((v) => [v.sku as string, v]));
    const products = new Map(chain.products.map((p) => [p.id, p]));
    const staff = new Map(chain.associates.map((a) => [a.id, a]));
    const lastNo = new Map<string, number>();
    let lastAt = '';
    for (const s of chain.sales) {
      expect(isHlc(s.at)).toBe(true);
      expect(s.at > lastAt).toBe(true);
      lastAt = s.at;
      const { wall, counter, node } = decodeHlc(s.at);
      expect(counter).toBe(0);
      expect(node).toBe('seed');
      expect(wall).toBeLessThan(NOW);
      expect(wall).toBeGreaterThan(NOW - 367 * DAY);
      const n = (lastNo.get(s.storeId) ?? 0) + 1;
      lastNo.set(s.storeId, n);
      expect(s.receiptNo).toBe(`${s.storeId}-T00-${String(n).padStart(6, '0')}`);
      expect(isUuid(s.id)).toBe(true);
      expect(s.deviceId).toBe('seed');
      const actor = staff.get(s.actor)!;
      expect(actor.storeId).toBe(s.storeId);
      expect(['cashier', 'manager']).toContain(actor.role);
      const loc = locs.get(s.storeId)!;
      expect(s.currency).toBe(loc.currency);
      let total = 0;
      let tax = 0;
      for (const l of s.lines) {
        const v = variants.get(l.sku)!;
        const p = products.get(v.productId)!;
        expect(l.name).toBe(p.name);
        expect(l.unitPrice).toBe(v.prices[loc.currency]);
        expect(l.lineTotal).toBe(l.unitPrice * l.qty);
        expect(l.tax).toBe(taxIncluded(l.lineTotal, loc.taxRates[p.taxClass] ?? 0));
        total += l.lineTotal;
        tax += l.tax;
      }
      expect(s.total).toBe(total);
      expect(s.tax).toBe(tax);
      expect(s.tenders).toHaveLength(1);
      expect(['cash', 'card']).toContain(s.tenders[0]!.kind);
      expect(s.tenders[0]!.amount).toBe(s.total);
      expect(s.change).toBe(0);
    }
    expect(new Set(chain.sales.map((s) => s.id)).size).toBe(chain.sales.length);
  });

  it('orders awaiting pickup at S01 reserve stock S01 has', () => {
    expect(chain.orders).toHaveLength(12);
    const stock = new Map(chain.stock.map((s) => [s.key, s]));
    const customers = new Map(chain.customers.map((c) => [c.id as string, c]));
    const variants = new Map(chain.variants.map((v) => [v.sku as string, v]));
    const reservedByOrders = new Map<string, number>();
    chain.orders.forEach((o, i) => {
      expect(o.number).toBe(`W${100_001 + i}`);
      expect(o).toMatchObject({ channel: 'web', fulfillment: 'pickup', storeId: 'S01', currency: 'EUR' });
      expect(o.paymentRef).toMatch(/^PSP-[A-Z0-9]+$/);
      const c = customers.get(o.customerId)!;
      expect(o.customerName).toBe(`${c.firstName} ${c.lastName}`);
      expect(o.lines.length).toBeGreaterThanOrEqual(1);
      expect(o.lines.length).toBeLessThanOrEqual(3);
      expect(o.total).toBe(o.lines.reduce((a, l) => a + l.unitPrice * l.qty, 0));
      const placed = Date.parse(o.placedAt);
      expect(placed).toBeLessThan(NOW);
      expect(placed).toBeGreaterThanOrEqual(NOW - 2 * DAY);
      expect(Date.parse(o.readyBy) - placed).toBe(2 * 3_600_000);
      for (const l of o.lines) {
        expect(l.unitPrice).toBe(variants.get(l.sku)!.prices.EUR);
        const key = stockKey('S01', l.sku);
        reservedByOrders.set(key, (reservedByOrders.get(key) ?? 0) + l.qty);
      }
    });
    const statuses = chain.orders.map((o) => o.status);
    expect(statuses.filter((s) => s === 'placed').length).toBeGreaterThan(6);
    expect(statuses).toContain('picking');
    expect(statuses).toContain('ready');
    for (const [key, qty] of reservedByOrders) {
      const row = stock.get(key)!;
      expect(row.reserved).toBe(qty);
      expect(row.onHand).toBeGreaterThanOrEqual(row.reserved);
    }
    // Nothing else is reserved anywhere.
    for (const s of chain.stock) if (!reservedByOrders.has(s.key)) expect(s.reserved).toBe(0);
  });

  it('generates 100,000 SKUs quickly', () => {
    const started = performance.now();
    const big = generateChain({ ...DEFAULT_SEED, skus: 100_000, now: NOW });
    const ms = performance.now() - started;
    console.log(`generateChain: 100,000 SKUs, 8 stores, 5,000 customers in ${Math.round(ms)} ms (${big.stock.length} stock rows, ${big.sales.length} sales)`);
    expect(big.variants).toHaveLength(100_000);
    expect(ms).toBeLessThan(60_000);
  });
});
