// Offline customer search [CL2]: prefix, accent-, case- and typo-tolerant, by name, e-mail or phone.
import { describe, expect, it } from 'vitest';
import { CustomerIndex } from './customer-index';
import { emptyCustomer } from './profile-edit';
import { syntheticCustomers } from './synthetic-customers';
import type { CustomerRow } from '../model';

const c = (id: string, firstName: string, lastName: string, email = '', phone = ''): CustomerRow => ({ ...emptyCustomer(id, '2025-01-01T00:00:00.000Z'), firstName, lastName, email, phone });

const people = [
  c('C1', 'Márcia', 'Oliveira', 'marcia.oliveira@gmail.com', '+351 912 345 678'),
  c('C2', 'Marcos', 'Oliveira', 'marcos.o@sapo.pt', '+351 913 000 111'),
  c('C3', 'Duarte', 'Rocha', 'duarte.rocha@gmail.com', '+55 11 91234-5678'),
  c('C4', 'Conceição', "D'Angelo", 'c.dangelo@libero.it', '+39 345 123 4567'),
  c('C5', 'Ana', 'Lima', '', '+351 961 222 333'),
  c('C6', 'Mariana', 'Silva', 'mariana@uol.com.br', ''),
];
const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe('[CL2] customer search', () => {
  const index = CustomerIndex.fromRows(people);

  it('[CL2] finds by name prefix, whatever the accents and case', () => {
    expect(ids(index.search('marcia'))).toEqual(['C1']);
    expect(ids(index.search('MÁRCI'))).toEqual(['C1']);
    expect(ids(index.search('MARC'))).toEqual(['C1', 'C2']);
    expect(ids(index.search('conceicao dang'))).toEqual(['C4']);
    expect(ids(index.search('oliv'))).toEqual(['C1', 'C2']);
    expect(ids(index.search('Oliveira Marcos'))).toEqual(['C2']);
  });

  it('[CL2] tolerates one typo or one swap of letters in a longer word', () => {
    expect(ids(index.search('olivera'))).toEqual(['C1', 'C2']);
    expect(ids(index.search('Marica Oliveira'))).toContain('C1');
    expect(ids(index.search('duatre'))).toEqual(['C3']);
    // Short words are not fuzzy: "ana" does not find "Ina" or "Ama".
    expect(ids(index.search('ana'))).toEqual(['C5']);
  });

  it('[CL2] ranks the exact name first, then names starting with the query', () => {
    expect(ids(index.search('mari')).slice(0, 1)).toEqual(['C6']);
    expect(ids(index.search('Márcia Oliveira'))[0]).toBe('C1');
  });

  it('[CL2] finds by e-mail prefix and by e-mail words', () => {
    expect(ids(index.search('marcia.oliveira@gm'))).toEqual(['C1']);
    expect(ids(index.search('duarte.rocha@'))).toEqual(['C3']);
    expect(ids(index.search('Marcos.O@SAPO.PT'))).toEqual(['C2']);
    // Without the @: a dotted word is also read as the start of an e-mail.
    expect(ids(index.search('c.dang'))).toEqual(['C4']);
  });

  it('[CL2] finds by phone prefix with or without country code, in any spacing', () => {
    expect(ids(index.search('912 345'))).toEqual(['C1']);
    expect(ids(index.search('+351 912'))).toEqual(['C1']);
    expect(ids(index.search('00351 91'))).toEqual(['C1', 'C2']);
    expect(ids(index.search('11 91234'))).toEqual(['C3']);
    expect(ids(index.search('345 123 4567'))).toEqual(['C4']);
    expect(index.search('91')).toEqual([]); // too few digits to mean anything
  });

  it('[CL2] initials list names whose words start so', () => {
    expect(ids(index.search('m o'))).toEqual(['C1', 'C2']);
  });

  it('[CL2] follows upserts and removals', () => {
    const i = CustomerIndex.fromRows(people);
    i.upsert({ ...people[4]!, lastName: 'Lopes', phone: '+351 961 999 000' });
    expect(ids(i.search('lima'))).toEqual([]);
    expect(ids(i.search('ana lopes'))).toEqual(['C5']);
    expect(ids(i.search('961 222'))).toEqual([]);
    expect(i.remove('C1')).toBe(true);
    expect(ids(i.search('marcia'))).toEqual([]);
    expect(ids(i.search('912 345'))).toEqual([]);
    expect(i.size).toBe(5);
  });

  it('[CL3] probable duplicates: same e-mail in any case, or same phone however written', () => {
    expect(ids(index.duplicatesOf({ email: 'Marcia.Oliveira@gmail.com', phone: '' }))).toEqual(['C1']);
    expect(ids(index.duplicatesOf({ email: '', phone: '912345678' }))).toEqual(['C1']);
    expect(ids(index.duplicatesOf({ email: '', phone: '+351 912-345-678' }))).toEqual(['C1']);
    expect(ids(index.duplicatesOf({ id: 'C1', email: 'marcia.oliveira@gmail.com', phone: '+351 912 345 678' }))).toEqual([]);
    expect(index.duplicatesOf({ email: 'new@example.com', phone: '+351 912 345 679' })).toEqual([]);
  });

  it('[CL2] answers in well under 20 ms at 50,000 customers (Node; the Chromium bench is the target)', () => {
    const big = CustomerIndex.fromRows(syntheticCustomers(50_000));
    const queries = ['mar', 'oliv', 'olivera', 'conceicao rocha', 'giulia rossi', 'gonçalo magalhaes', '912', '+39 31', 'sofia.santos1@', 'thaigo'];
    big.search('warm');
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const q of queries) {
        const t0 = performance.now();
        big.search(q);
        times.push(performance.now() - t0);
      }
    }
    times.sort((a, b) => a - b);
    const p95 = times[Math.floor(times.length * 0.95)]!;
    console.info(`[customer-index] 50k customers: p95 ${p95.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms`);
    expect(big.search('olivera').length).toBeGreaterThan(0);
  }, 60_000);
});
