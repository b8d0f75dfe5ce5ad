// Stream digests for [P7]: order-independent, so the tablet and the server can compute them over
// rows read in any order. Two 32-bit FNV-1a sums with different seeds make a 64-bit digest.
export interface DigestInput {
  table: string;
  key: string;
  version: number;
}

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class DigestBuilder {
  private a = 0;
  private b = 0;
  count = 0;
  add(r: DigestInput): void {
    const s = `${r.table}\u0000${r.key}\u0000${r.version}`;
    this.a = (this.a + fnv1a(s, 0x811c9dc5)) >>> 0;
    this.b = (this.b + fnv1a(s, 0x01234567)) >>> 0;
    this.count += 1;
  }
  get digest(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}

export function streamDigest(rows: Iterable<DigestInput>): { count: number; digest: string } {
  const d = new DigestBuilder();
  for (const r of rows) d.add(r);
  return { count: d.count, digest: d.digest };
}
