// Data factories for tests: a small store, catalog and an enrolled device in a fresh local database.
import { VitrineDb } from '@/db/schema';
import { saveEnrollment } from '@/db/device';
import type { LocationRow, ProductRow, VariantDoc, VariantRow, StockRow } from '@/core/model';
import { productIndexKeys } from '@/db/sync-store';
import type { LocationId, Minor, Sku } from '@/core/shared/brand';
import type { DispatchEnv } from '@/db/dispatch';
import type { SaleCompletePayload } from '@/core/sales/sale-complete';

let n = 0;
export const freshDb = () => new VitrineDb(`test-${Date.now()}-${n++}`);

export const lisboa: LocationRow = {
  id: 'S01' as LocationId,
  code: 'S01',
  name: 'Lisboa Chiado',
  city: 'Lisboa',
  country: 'PT',
  kind: 'store',
  lat: 38.71,
  lon: -9.14,
  currency: 'EUR',
  taxMode: 'inclusive',
  taxRates: { standard: 230 },
  locale: 'pt-PT',
  timeZone: 'Europe/Lisbon',
};

export const variant = (sku = 'VT-1-BLK-M', productId = 'VT-1', price = 4999): VariantRow => ({ sku: sku as Sku, productId, barcode: '5600000000017', size: 'M', color: 'Black', prices: { EUR: price as Minor } });
/** A product document; by default with the one variant above. */
export const product = (id = 'VT-1', name = 'Calça Chino', variants: VariantDoc[] = [withoutProductId(variant())]): ProductRow => ({ id, name, brand: 'Atlântico', category: ['Men', 'Trousers'], description: '', attributes: {}, taxClass: 'standard', variants });
function withoutProductId(v: VariantRow): VariantDoc {
  const { productId: _p, ...doc } = v;
  void _p;
  return doc;
}
export const stock = (sku = 'VT-1-BLK-M', onHand = 3): StockRow => ({ key: `S01|${sku}`, locationId: 'S01' as LocationId, sku: sku as Sku, onHand, reserved: 0, at: 0 });

/** A device enrolled at S01 with a tiny catalog; rows carry server versions as if pulled. */
export async function enrolledDb(opts: { onHand?: number } = {}) {
  const db = freshDb();
  await saveEnrollment(db, { deviceId: 'dev-1', deviceToken: 't', storeId: 'S01', storeCode: 'S01', deviceCode: 'T01', streams: ['catalog', 'network', 'customers', 'store:S01'] }, 1_000);
  await db.locations.put({ ...lisboa, _v: 1 });
  await db.products.put({ ...product(), ...productIndexKeys(product()), _v: 1 });
  await db.stock.put({ ...stock('VT-1-BLK-M', opts.onHand ?? 3), _v: 1 });
  return db;
}

/** Deterministic clock and randomness for dispatch. */
export function testEnv(start = 1_700_000_000_000): DispatchEnv {
  let t = start;
  let r = 1;
  return {
    now: () => (t += 1000),
    random: (k) => {
      const b = new Uint8Array(k);
      for (let i = 0; i < k; i++) b[i] = (r = (r * 1103515245 + 12345) % 2 ** 31) & 0xff;
      return b;
    },
  };
}

/** One VT-1-BLK-M at 49.99 paid with 50.00 cash in S01: the payload builder the dispatch tests share. */
export const oneCashSale = (a: { newId(): string; receiptNo(): string }): SaleCompletePayload => ({
  saleId: a.newId(),
  storeId: 'S01',
  receiptNo: a.receiptNo(),
  currency: 'EUR',
  lines: [{ sku: 'VT-1-BLK-M', qty: 1, unitPrice: 4999 }],
  tenders: [{ kind: 'cash', amount: 5000 }],
});
