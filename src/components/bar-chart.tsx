// A small horizontal bar chart in plain SVG (decision 52): one labelled row per bar, the value as
// text beside it, readable without colour, and the figures also in the accessible name of each row.
export interface BarDatum {
  key: string;
  label: string;
  value: number;
  /** The value as people read it ("€ 120,00", "3"). */
  text: string;
}

export interface BarChartProps {
  /** The figure's accessible name ("Sales by channel"). */
  label: string;
  data: readonly BarDatum[];
  /** Shown when every value is zero. */
  empty: string;
}

const ROW = 34;
const LABEL_W = 200;
const TEXT_W = 120;
const WIDTH = 580;

export function BarChart({ label, data, empty }: BarChartProps) {
  const max = Math.max(0, ...data.map((d) => d.value));
  const barW = WIDTH - LABEL_W - TEXT_W;
  return (
    <figure className="bar-chart" aria-label={label} role="figure">
      <figcaption>{label}</figcaption>
      {max === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${data.length * ROW}`} width="100%" role="list" aria-label={label}>
          {data.map((d, i) => {
            const w = max > 0 ? Math.max(d.value > 0 ? 3 : 0, Math.round((d.value / max) * barW)) : 0;
            const y = i * ROW;
            return (
              <g key={d.key} role="listitem" aria-label={`${d.label}: ${d.text}`}>
                <text x={0} y={y + ROW / 2} dominantBaseline="middle" className="bar-label">
                  {d.label}
                </text>
                <rect x={LABEL_W} y={y + 6} width={w} height={ROW - 12} rx={4} className="bar" />
                <text x={LABEL_W + w + 8} y={y + ROW / 2} dominantBaseline="middle" className="bar-value">
                  {d.text}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
