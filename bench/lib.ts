// Shared helpers of the benchmarks: timing, percentiles and the markdown tables they print.
export const now = () => performance.now();

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export const p50 = (v: readonly number[]) => percentile(v, 0.5);
export const p95 = (v: readonly number[]) => percentile(v, 0.95);

export const fmtMs = (n: number) => (Number.isFinite(n) ? (n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`) : 'n/a');
export const fmtRate = (n: number, unit = '/s') => (Number.isFinite(n) ? `${Math.round(n).toLocaleString('en-US')}${unit}` : 'n/a');
export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const ratio = (value: number, baseline: number) => (Number.isFinite(value) && Number.isFinite(baseline) && baseline > 0 ? `${(value / baseline).toFixed(2)}×` : 'n/a');

export interface Row {
  measure: string;
  value: string;
  baseline?: string;
  ratio?: string;
  target?: string;
}

/** Prints one benchmark's markdown table, with its parameters above it and notes below. */
export function printTable(title: string, params: string, rows: readonly Row[], notes: readonly string[] = []): void {
  const lines = [
    '',
    `### ${title}`,
    '',
    params,
    '',
    '| measure | value | baseline | ratio | target |',
    '|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.baseline ?? ''} | ${r.ratio ?? ''} | ${r.target ?? ''} |`),
  ];
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  console.log(lines.join('\n'));
}

/** Marks a figure against a target: "✓" when met, "✗" when missed. */
export const verdict = (ok: boolean) => (ok ? '✓' : '✗');

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<T, R>(items: readonly T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}
