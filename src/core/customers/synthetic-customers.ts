// Deterministic synthetic customers for tests and benches: Portuguese, Italian and Brazilian names
// with accents, e-mails and phones written the way the demo writes them.
import type { CustomerRow } from '../model';
import { emptyCustomer } from './profile-edit';

const FIRST = ['Márcia', 'Ana', 'João', 'Inês', 'Conceição', 'Luís', 'Sofia', 'Giulia', 'Francesco', 'Chiara', 'Lucas', 'Beatriz', 'Gonçalo', 'Matteo', 'Aurora', 'Thiago', 'Letícia', 'Duarte', 'Rita', 'Tomás'];
const LAST = ['Oliveira', 'Silva', 'Santos', 'Ferreira', 'Pereira', 'Rocha', 'Gonçalves', 'Rossi', 'Russo', 'Bianchi', 'Esposito', 'Romano', 'Araújo', 'Magalhães', 'Conti', 'De Luca', "D'Angelo", 'Souza', 'Lima', 'Carvalho', 'Costa', 'Martins', 'Fonseca', 'Brandão', 'Ricci'];
const DOMAINS = ['gmail.com', 'sapo.pt', 'libero.it', 'uol.com.br', 'outlook.com'];

const slug = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '');

/** `n` customers; the i-th is always the same (a linear congruential stream seeded by i). */
export function syntheticCustomers(n: number): CustomerRow[] {
  const out: CustomerRow[] = [];
  for (let i = 0; i < n; i++) {
    let r = (i * 2654435761 + 97) >>> 0;
    const next = (m: number) => {
      r = (Math.imul(r, 1103515245) + 12345) >>> 0;
      return (r >>> 8) % m;
    };
    const firstName = FIRST[next(FIRST.length)]!;
    const lastName = LAST[next(LAST.length)]!;
    const country = next(3);
    const digits = String(100_000_000 + ((i * 7919) % 900_000_000)).slice(1);
    const phone = country === 0 ? `+351 9${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5, 8)}` : country === 1 ? `+39 3${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5, 8)}${next(10)}` : `+55 11 9${digits.slice(0, 4)}-${digits.slice(4, 8)}`;
    out.push({
      ...emptyCustomer(`C${String(i + 1).padStart(6, '0')}`, '2025-01-01T00:00:00.000Z', 'S01'),
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${i}@${DOMAINS[next(DOMAINS.length)]}`,
      phone,
    });
  }
  return out;
}
