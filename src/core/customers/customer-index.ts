// Offline customer search [CL2] on the catalog's search machinery (MiniSearch, folding, typo-tolerant
// word queries, name order, top-k): by name (prefix, accent-, case- and typo-tolerant), e-mail
// (prefix) or phone (prefix of the number with or without its country code).
import SearchableMap from 'minisearch/SearchableMap';
import type { CustomerRow } from '../model';
import { indexWords, phraseKey, queryWords } from '../catalog/search/normalize';
import { NameOrder } from '../catalog/search/name-order';
import { TopK, type RankKey } from '../catalog/search/top-k';
import { expandWord, nameTier, startsAWord } from '../catalog/search/word-query';
import { phoneDigits } from './contact';

/** Name words this long tolerate one typo ("Olivera", "Marica"), as in the catalog; shorter ones match by prefix. */
export const CUSTOMER_FUZZY_MIN_LENGTH = 5;
/** Name words shorter than this only narrow what longer words found (or list names by prefix). */
export const CUSTOMER_PREFIX_MIN_LENGTH = 2;
/** A phone query needs this many digits: fewer would list a good part of the customers. */
export const PHONE_MIN_DIGITS = 3;
const DEFAULT_LIMIT = 20;

/** What the index keeps of a customer: enough to list and rank it without reading the table. */
export interface CustomerDoc {
  id: string;
  name: string;
  email: string;
  phone: string;
}

export interface CustomerHit extends CustomerDoc {
  /** Why it matched: the name, the e-mail or the phone. */
  by: 'name' | 'email' | 'phone';
  score: number;
}


/** The national part of a stored phone ("+351 912 345 678" → 912345678), '' when it has no country code. */
function nationalDigits(phone: string): string {
  const m = /^\+(\d{1,3})[ .-]?(.*)$/.exec(phone.trim());
  return m ? phoneDigits(m[2] ?? '') : phoneDigits(phone);
}


const fullName = (c: Pick<CustomerRow, 'firstName' | 'lastName'>) => `${c.firstName} ${c.lastName}`.trim();

export class CustomerIndex {
  /**
   * Name words → the customers having them, in MiniSearch's radix tree (prefix and fuzzy lookups).
   * Names are a small vocabulary with long postings ("Oliveira" is thousands of customers), so the
   * postings are intersected and scored here: MiniSearch's per-document BM25 over them took 60 ms
   * at 50,000 customers. E-mails and phones are unique per customer: sorted lists, binary search.
   */
  private readonly vocab = new SearchableMap<Set<string>>();
  private readonly docs = new Map<string, CustomerDoc & { words: string[] }>();
  private readonly names = new NameOrder();
  private readonly emails = new NameOrder();
  private readonly phones = new NameOrder();
  private readonly nationals = new NameOrder();

  static fromRows(rows: Iterable<CustomerRow>): CustomerIndex {
    const index = new CustomerIndex();
    for (const r of rows) index.upsert(r, true);
    // Sort the prefix lists now, as part of the build, rather than in the first search.
    for (const o of [index.names, index.emails, index.phones, index.nationals]) o.ordered();
    return index;
  }

  get size(): number {
    return this.docs.size;
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  /** Adds or replaces a customer; `bulk` defers re-sorting the prefix lists to the next search. */
  upsert(row: CustomerRow, bulk = false): void {
    const name = fullName(row);
    const doc = { id: row.id as string, name, email: row.email, phone: row.phone, words: [...new Set(indexWords(name))] };
    this.unlink(doc.id);
    this.docs.set(doc.id, doc);
    for (const w of doc.words) this.vocab.fetch(w, () => new Set()).add(doc.id);
    this.names.set(doc.id, phraseKey(doc.name), bulk);
    const set = (order: NameOrder, key: string) => (key ? order.set(doc.id, key, bulk) : order.delete(doc.id));
    set(this.emails, row.email.trim().toLowerCase());
    set(this.phones, phoneDigits(row.phone));
    set(this.nationals, row.phone ? nationalDigits(row.phone) : '');
  }

  remove(id: string): boolean {
    if (!this.docs.has(id)) return false;
    this.unlink(id);
    this.docs.delete(id);
    for (const o of [this.names, this.emails, this.phones, this.nationals]) o.delete(id);
    return true;
  }

  /** Drops a customer's postings (before re-adding or removing it). */
  private unlink(id: string): void {
    for (const w of this.docs.get(id)?.words ?? []) {
      const set = this.vocab.get(w);
      set?.delete(id);
      if (set && set.size === 0) this.vocab.delete(w);
    }
  }

  ids(): readonly string[] {
    return this.names.ordered().ids;
  }

  /**
   * Finds customers as the associate types. With an @ the text is an e-mail prefix; mostly digits,
   * a phone prefix (with or without country code, any spacing); else name words, each a prefix, all
   * required, words of CUSTOMER_FUZZY_MIN_LENGTH letters or more allowing one typo or swap. Names are
   * ranked exact, then starting with the query, then by relevance; e-mails and phones by name.
   */
  search(query: string, limit = DEFAULT_LIMIT): CustomerHit[] {
    const q = query.trim();
    if (q === '' || limit <= 0) return [];
    if (q.includes('@')) return this.byPrefix([this.emails], q.toLowerCase(), 'email', limit);
    const digits = phoneDigits(q);
    if (/^[+(]?[\d\s().-]+$/.test(q)) {
      return digits.length >= PHONE_MIN_DIGITS ? this.byPrefix([this.phones, this.nationals], digits.replace(/^00/, ''), 'phone', limit) : [];
    }
    const names = this.byName(queryWords(q), limit);
    // One word with a dot, underscore or digit may be the start of an e-mail ("bia.m", "jsilva82").
    if (!/\s/.test(q) && /[._\d]/.test(q) && names.length < limit) {
      const seen = new Set(names.map((h) => h.id));
      names.push(...this.byPrefix([this.emails], q.toLowerCase(), 'email', limit).filter((h) => !seen.has(h.id)).slice(0, limit - names.length));
    }
    return names;
  }

  /**
   * Probable duplicates of a profile being saved [CL3]: another customer with the same e-mail
   * (case-insensitive) or the same phone number (digits, with or without country code).
   */
  duplicatesOf(candidate: { id?: string; email: string; phone: string }): CustomerDoc[] {
    const out = new Map<string, CustomerDoc>();
    const email = candidate.email.trim().toLowerCase();
    if (email) for (const d of this.exact(this.emails, email)) out.set(d.id, d);
    const digits = phoneDigits(candidate.phone);
    if (digits.length >= 6) {
      const national = nationalDigits(candidate.phone);
      for (const d of [...this.exact(this.phones, digits), ...(national ? this.exact(this.nationals, national) : [])]) {
        // "+351 912…" and "912…" are the same number only when neither says a different country.
        if (phoneDigits(d.phone) === digits || nationalDigits(d.phone) === national) out.set(d.id, d);
      }
    }
    if (candidate.id) out.delete(candidate.id);
    return [...out.values()];
  }

  private doc(id: string): CustomerDoc | undefined {
    const d = this.docs.get(id);
    return d && { id: d.id, name: d.name, email: d.email, phone: d.phone };
  }

  private exact(order: NameOrder, key: string): CustomerDoc[] {
    const { keys, ids } = order.ordered();
    const out: CustomerDoc[] = [];
    for (let i = order.startOf(key); i < keys.length && keys[i] === key; i++) {
      const d = this.doc(ids[i] ?? '');
      if (d) out.push(d);
    }
    return out;
  }

  /** Keys starting with `prefix` in any of `orders`, each customer once, ordered by name. */
  private byPrefix(orders: readonly NameOrder[], prefix: string, by: CustomerHit['by'], limit: number): CustomerHit[] {
    const seen = new Set<string>();
    const found: CustomerDoc[] = [];
    for (const order of orders) {
      const { keys, ids } = order.ordered();
      // Bounded: past a few times the limit the customer is typing more, not reading.
      for (let i = order.startOf(prefix); i < keys.length && (keys[i] ?? '').startsWith(prefix) && found.length < limit * 4; i++) {
        const id = ids[i] ?? '';
        if (seen.has(id)) continue;
        seen.add(id);
        const d = this.doc(id);
        if (d) found.push(d);
      }
    }
    const key = (d: CustomerDoc) => this.names.keyOf(d.id) ?? '';
    found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1));
    return found.slice(0, limit).map((d) => ({ ...d, by, score: 0 }));
  }

  private byName(words: readonly string[], limit: number): CustomerHit[] {
    if (words.length === 0) return [];
    const typed = words.join(' ');
    const long = words.filter((w) => w.length >= CUSTOMER_PREFIX_MIN_LENGTH);
    const short = words.filter((w) => w.length < CUSTOMER_PREFIX_MIN_LENGTH);
    if (long.length === 0) {
      // Initials only ("m o"): names whose words start so, in name order.
      const { keys, ids } = this.names.ordered();
      const out: CustomerHit[] = [];
      for (let i = 0; i < keys.length && out.length < limit; i++) {
        if (short.every((p) => startsAWord(keys[i] ?? '', p))) {
          const d = this.doc(ids[i] ?? '');
          if (d) out.push({ ...d, by: 'name', score: 0 });
        }
      }
      return out;
    }
    // Names starting with the text as typed rank first (exact, then "typed …", then "typed…", which
    // is name order): when there are enough of them, nothing else can make the list.
    const { keys, ids } = this.names.ordered();
    const head: CustomerHit[] = [];
    for (let i = this.names.startOf(typed); i < keys.length && head.length < limit && (keys[i] ?? '').startsWith(typed); i++) {
      const d = this.doc(ids[i] ?? '');
      if (d) head.push({ ...d, by: 'name', score: 0 });
    }
    if (head.length >= limit) return head;
    // Each long word's matching terms; the customers having all of them, starting from the rarest.
    const expanded = long.map((w) => [...expandWord(this.vocab, w, CUSTOMER_FUZZY_MIN_LENGTH).values()]);
    const sizes = expanded.map((terms) => terms.reduce((n, t) => n + t.value.size, 0));
    const order = expanded.map((_, i) => i).sort((a, b) => sizes[a]! - sizes[b]!);
    const rarest = expanded[order[0]!]!;
    const scores = new Map<string, number>();
    for (const t of rarest) for (const id of t.value) scores.set(id, Math.max(scores.get(id) ?? 0, t.weight));
    for (const i of order.slice(1)) {
      for (const [id, score] of scores) {
        let best = 0;
        for (const t of expanded[i]!) if (t.weight > best && t.value.has(id)) best = t.weight;
        if (best === 0) scores.delete(id);
        else scores.set(id, score + best);
      }
    }
    const top = new TopK<RankKey>(limit);
    for (const [id, score] of scores) {
      const key = this.names.keyOf(id) ?? '';
      const tier = nameTier(key, typed);
      if (!top.admits(tier, score, id)) continue;
      if (short.length > 0 && !short.every((p) => startsAWord(key, p))) continue;
      top.add({ tier, score, id });
    }
    return top.sorted().flatMap((r) => {
      const d = this.doc(r.id);
      return d ? [{ ...d, by: 'name' as const, score: r.score }] : [];
    });
  }
}
