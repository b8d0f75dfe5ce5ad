// Multi-row INSERTs written as SQL text, without the query builder: a push flushes thousands of rows
// (rows, movements, commands, indexes) and building each value as a Kysely node cost more than
// SQLite took to store it (decision 80). The statement shapes are few and fixed, so SQLite's
// prepared-statement cache (open.ts) and PostgreSQL's parser see the same texts again and again.
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema';

export type Dialect = 'sqlite' | 'postgres';

/** The largest chunk; smaller ones are powers of two, so a table has at most log2(MAX)+1 statement shapes. */
const MAX_CHUNK = 256;

const texts = new Map<string, string>();

function statement(dialect: Dialect, head: string, width: number, n: number, tail: string): string {
  const k = `${dialect}\u0000${head}\u0000${width}\u0000${n}\u0000${tail}`;
  let text = texts.get(k);
  if (text === undefined) {
    const tuples: string[] = [];
    let p = 0;
    for (let r = 0; r < n; r++) {
      const cells: string[] = [];
      for (let c = 0; c < width; c++) cells.push(dialect === 'postgres' ? `$${++p}` : '?');
      tuples.push(`(${cells.join(', ')})`);
    }
    text = `${head} values ${tuples.join(', ')}${tail ? ` ${tail}` : ''}`;
    texts.set(k, text);
  }
  return text;
}

/**
 * Inserts `rows` into `table` (its `columns`, in order, from `values`), `tail` appended to every
 * statement (an ON CONFLICT or RETURNING clause, in SQL both dialects read alike). Chunks are 256
 * rows, then the remainder in powers of two. Answers the rows RETURNING gave, if any.
 * `table`, `columns` and `tail` are the caller's constants, never input.
 */
export async function bulkInsert<R>(
  db: Kysely<DB> | Transaction<DB>,
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  rows: readonly R[],
  values: (r: R) => readonly unknown[],
  tail = '',
): Promise<Record<string, unknown>[]> {
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')})`;
  const out: Record<string, unknown>[] = [];
  let i = 0;
  while (i < rows.length) {
    const left = rows.length - i;
    const n = left >= MAX_CHUNK ? MAX_CHUNK : 2 ** Math.floor(Math.log2(left));
    const params: unknown[] = [];
    for (let j = i; j < i + n; j++) {
      const v = values(rows[j]!);
      if (v.length !== columns.length) throw new Error(`bulkInsert ${table}: ${v.length} values for ${columns.length} columns`);
      for (const x of v) params.push(x);
    }
    const r = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(statement(dialect, head, columns.length, n, tail), params));
    for (const row of r.rows) out.push(row);
    i += n;
  }
  return out;
}
