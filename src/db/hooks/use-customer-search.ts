// Finding a customer at the till: accent- and case-insensitive on names, prefix on e-mail, digits
// anywhere in the phone number, as on the customers screen.
import { useLiveQuery } from 'dexie-react-hooks';
import type { VitrineDb } from '../schema';
import type { CustomerRow } from '@/core/model';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The pure match, so it can be tested without a database. */
export function customerMatches(c: Pick<CustomerRow, 'firstName' | 'lastName' | 'email' | 'phone'>, query: string): boolean {
  const f = fold(query.trim());
  if (f.length < 2) return false;
  const name = fold(`${c.firstName} ${c.lastName}`);
  const digits = f.replace(/\D/g, '');
  return name.startsWith(f) || name.split(' ').some((w) => w.startsWith(f)) || c.email.toLowerCase().startsWith(f) || (digits.length >= 3 && c.phone.replace(/\D/g, '').includes(digits));
}

export function useCustomerSearch(db: VitrineDb, query: string, limit = 8): CustomerRow[] {
  return useLiveQuery(() => (fold(query.trim()).length < 2 ? [] : db.customers.filter((c) => customerMatches(c, query)).limit(limit).toArray()), [db, query, limit]) ?? [];
}

export function useCustomer(db: VitrineDb, id: string | undefined): CustomerRow | undefined {
  return useLiveQuery(async () => (id ? db.customers.get(id) : undefined), [db, id]);
}
