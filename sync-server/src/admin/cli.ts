// `npm run admin -- <command>`: chain administration against the configured database
// (DATA_DIR or DATABASE_URL): stores, associates, enrollment codes, devices.
import { randomBytes, webcrypto } from 'node:crypto';
import { resolve } from 'node:path';
import { openStore } from '../store/open';
import type { Store } from '../store/store';
import { hashPin, isPin, PIN_ITERATIONS, saltHex } from '../../../src/core/shared/pin';
import type { AssociateRow, LocationRow, Role } from '../../../src/core/model';
import type { AssociateId, Currency, LocationId } from '../../../src/core/shared/brand';

const HELP = `Usage: npm run admin -- <command>
  store add <ID> <name> <city> <country> <currency EUR|BRL|USD> <lat> <lon>
  associate add <storeId> <name> <associate|cashier|manager> <PIN>
  code new <storeId>            one-time enrollment code for a tablet of that store
  devices                       list enrolled tablets
  device revoke <deviceId>      the tablet loses access at its next sync (it can still export unsent)
Reads DATA_DIR (default ./data) or DATABASE_URL.`;

function fail(msg: string): never {
  console.error(`${msg}\n\n${HELP}`);
  process.exit(2);
}

async function storeExists(store: Store, id: string) {
  return !!(await store.getRow('locations', id));
}

async function main(args: string[]) {
  const [a, b, ...rest] = args;
  if (!a || a === 'help' || a === '--help') {
    console.log(HELP);
    return;
  }
  const store = openStore({ DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR ?? resolve('data') });
  await store.migrate();
  try {
    if (a === 'store' && b === 'add') {
      const [id, name, city, country, currency, lat, lon] = rest;
      if (!id || !/^[A-Z0-9]{2,12}$/.test(id)) fail('A store id is 2–12 capital letters or digits, e.g. S09.');
      if (!name || !city || !country) fail('Give the store a name, a city and a country code.');
      if (!['EUR', 'BRL', 'USD'].includes(currency ?? '')) fail('Currency must be EUR, BRL or USD.');
      const la = Number(lat), lo = Number(lon);
      if (!Number.isFinite(la) || !Number.isFinite(lo)) fail('Latitude and longitude must be numbers, e.g. 41.15 -8.61.');
      const row: LocationRow = {
        id: id as LocationId, code: id, name, city, country, kind: 'store', lat: la, lon: lo, currency: currency as Currency,
        taxMode: currency === 'USD' ? 'exclusive' : 'inclusive', taxRates: { standard: currency === 'BRL' ? 170 : currency === 'USD' ? 80 : 230 },
        locale: currency === 'BRL' ? 'pt-BR' : 'en', timeZone: 'UTC',
      };
      await store.transaction(async (tx) => {
        await tx.lockStreams(['network']);
        await tx.putRows([{ table: 'locations', key: id, stream: 'network', row }]);
      });
      console.log(`store ${id} ${name} added`);
    } else if (a === 'associate' && b === 'add') {
      const [storeId, name, role, pin] = rest;
      if (!storeId || !(await storeExists(store, storeId))) fail(`Store ${storeId ?? ''} does not exist.`);
      if (!name) fail('Give the associate a name.');
      if (!['associate', 'cashier', 'manager'].includes(role ?? '')) fail('Role must be associate, cashier or manager.');
      if (!pin || !isPin(pin)) fail('A PIN is 4 to 8 digits.');
      const salt = saltHex(randomBytes(16));
      const id = `A-${storeId}-${randomBytes(4).toString('hex').toUpperCase()}`;
      const row: AssociateRow = {
        id: id as AssociateId, storeId: storeId as LocationId, name, role: role as Role, pinSalt: salt, pinIterations: PIN_ITERATIONS,
        pinHash: await hashPin(webcrypto.subtle as unknown as SubtleCrypto, pin, salt), active: true,
      };
      await store.transaction(async (tx) => {
        await tx.lockStreams([`store:${storeId}`]);
        await tx.putRows([{ table: 'associates', key: id, stream: `store:${storeId}`, row }]);
      });
      console.log(`associate ${name} (${role}) added to ${storeId} as ${id}`);
    } else if (a === 'code' && b === 'new') {
      const [storeId] = rest;
      if (!storeId || !(await storeExists(store, storeId))) fail(`Store ${storeId ?? ''} does not exist.`);
      const code = `${storeId}-${randomBytes(4).toString('hex').toUpperCase()}`;
      await store.db.insertInto('enrollment_codes').values({ code, store_id: storeId, reusable: 0, used_by: null, created_at: new Date().toISOString() }).execute();
      console.log(code);
    } else if (a === 'devices') {
      const rows = await store.db.selectFrom('devices').select(['id', 'store_id', 'device_code', 'name', 'last_seq', 'revoked']).orderBy('store_id').execute();
      for (const r of rows) console.log(`${r.id}\t${r.store_id}\t${r.device_code}\t${r.name}\tlast seq ${r.last_seq}${r.revoked ? '\tREVOKED' : ''}`);
    } else if (a === 'device' && b === 'revoke') {
      const [id] = rest;
      const r = await store.db.updateTable('devices').set({ revoked: 1 }).where('id', '=', id ?? '').executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) fail(`No device ${id ?? ''}.`);
      console.log(`device ${id} revoked`);
    } else fail(`Unknown command: ${args.join(' ')}`);
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
