// The tablet's customer index keeps up with pulls, local edits, rejections and deletions [CL2], and
// is dropped on sign-out [CL6].
import { describe, expect, it } from 'vitest';
import { enrolledDb, testEnv } from '@/testing/factories';
import { dispatch } from '@/db/dispatch';
import { acknowledge, applyPulledPage, rebase } from '@/db/sync-store';
import { emptyCustomer } from '@/core/customers/profile-edit';
import { forgetCustomerIndex, holderOf, refreshCustomerIndex } from './customers-index';
import type { CustomerRow } from '@/core/model';
import { customerCreate } from '@/core/customers/customer-create';
import { customerUpdate } from '@/core/customers/customer-update';

const rita: CustomerRow = { ...emptyCustomer('C000001', '2025-01-01T00:00:00.000Z', 'S01'), firstName: 'Rita', lastName: 'Lopes', email: 'rita@example.com', phone: '+351 912 345 678' };
const names = (hits: { name: string }[]) => hits.map((h) => h.name);

describe('[CL2] the tablet\'s customer index', () => {
  it('[CL2] catches up with a pulled change, a customer created here, and an edit the server rejected', async () => {
    const db = await enrolledDb();
    const env = testEnv();
    await applyPulledPage(db, { stream: 'customers', changes: [{ table: 'customers', key: rita.id, version: 3, row: rita }], version: 3, more: false, total: 1 }, 1_000);
    let index = await refreshCustomerIndex(db);
    expect(names(index.search('rita'))).toEqual(['Rita Lopes']);

    // Pulled: renamed on another tablet.
    await applyPulledPage(db, { stream: 'customers', changes: [{ table: 'customers', key: rita.id, version: 4, row: { ...rita, lastName: 'Magalhães' } }], version: 4, more: false, total: 1 }, 2_000);
    index = await refreshCustomerIndex(db);
    expect(names(index.search('rita'))).toEqual(['Rita Magalhães']);

    // Created here, not yet sent.
    await dispatch(db, 'A-S01-ANA', customerCreate, (a) => ({ customerId: a.newId(), profile: { firstName: 'Inês', lastName: 'Duarte', phone: '961 000 111' } }), env);
    index = await refreshCustomerIndex(db);
    expect(names(index.search('ines'))).toEqual(['Inês Duarte']);
    expect(names(index.search('961 000'))).toEqual(['Inês Duarte']);

    // Edited here, then rejected by the server: the index goes back to the server's name.
    const edit = await dispatch(db, 'A-S01-ANA', customerUpdate, { customerId: rita.id, changes: { firstName: 'Ritinha' } }, env);
    index = await refreshCustomerIndex(db);
    expect(names(index.search('ritinha'))).toEqual(['Ritinha Magalhães']);
    await acknowledge(db, [{ seq: edit.command.seq, id: edit.command.id, status: 'rejected', error: { code: 'forbidden', message: 'no' } }], 3_000);
    await rebase(db);
    index = await refreshCustomerIndex(db);
    expect(names(index.search('ritinha'))).toEqual([]);
    expect(names(index.search('rita mag'))).toEqual(['Rita Magalhães']);

    // Deleted on the server (a tombstone [M2]): gone from search.
    await applyPulledPage(db, { stream: 'customers', changes: [{ table: 'customers', key: rita.id, version: 5, deleted: true }], version: 5, more: false, total: 1 }, 4_000);
    index = await refreshCustomerIndex(db);
    expect(names(index.search('rita'))).toEqual([]);
  });

  it('[CL6] signing out drops the index; the next search builds it again', async () => {
    const db = await enrolledDb();
    await applyPulledPage(db, { stream: 'customers', changes: [{ table: 'customers', key: rita.id, version: 3, row: rita }], version: 3, more: false, total: 1 }, 1_000);
    await refreshCustomerIndex(db);
    forgetCustomerIndex(db);
    expect(holderOf(db).snapshot.index).toBeNull();
    expect(names((await refreshCustomerIndex(db)).search('lopes'))).toEqual(['Rita Lopes']);
  });
});
