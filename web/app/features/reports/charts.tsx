/**
 * Small SVG charts for the reports page: no chart library, so they render on the server with the
 * page and need no script to show.
 */
const PALETTE = ['#4f6bed', '#1fa67a', '#e8a33d', '#d9534f', '#8e5bd6', '#2ba3c4', '#7a7a7a'] as const;
/** Won and lost read the same on every chart. */
export const OUTCOME_COLORS: Record<string, string> = { won: '#1fa67a', lost: '#d9534f' };
export const colorOf = (i: number): string => PALETTE[i % PALETTE.length]!;

export interface Series {
  name: string;
  values: number[];
  color?: string;
}

/** Bars per label, the series stacked: conversations per day by channel, leads won and lost. */
export function StackedBars({ labels, series, testId, height = 180 }: { labels: string[]; series: Series[]; testId: string; height?: number }) {
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const width = Math.max(240, labels.length * 22);
  const bar = width / Math.max(1, labels.length);
  return (
    <figure className="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label={series.map((s) => s.name).join(', ')} preserveAspectRatio="none">
        {labels.map((label, i) => {
          let y = height;
          return (
            <g key={label}>
              {series.map((s, k) => {
                const h = ((s.values[i] ?? 0) / max) * height;
                y -= h;
                return h > 0 ? (
                  <rect key={s.name} x={i * bar + 2} y={y} width={Math.max(1, bar - 4)} height={h} fill={s.color ?? colorOf(k)}>
                    <title>{`${label} · ${s.name}: ${s.values[i]}`}</title>
                  </rect>
                ) : null;
              })}
              {labels.length <= 16 || i % Math.ceil(labels.length / 8) === 0 ? (
                <text x={i * bar + bar / 2} y={height + 14} textAnchor="middle" className="chart-label">
                  {label.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <Legend entries={series.map((s, k) => ({ name: s.name, color: s.color ?? colorOf(k) }))} />
    </figure>
  );
}

/** Horizontal bars with their values: pipeline value per stage, breaches per priority. */
export function HorizontalBars({ rows, testId, format = String }: { rows: Array<{ label: string; value: number; color?: string }>; testId: string; format?: (n: number) => string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <div className="hbars" data-testid={testId}>
      {rows.map((r, i) => (
        <div className="hbar" key={r.label}>
          <span className="hbar-label">{r.label}</span>
          <span className="hbar-track">
            <span className="hbar-fill" style={{ width: `${(r.value / max) * 100}%`, background: r.color ?? colorOf(i) }} />
          </span>
          <span className="hbar-value">{format(r.value)}</span>
        </div>
      ))}
    </div>
  );
}

export function Legend({ entries }: { entries: Array<{ name: string; color: string }> }) {
  return (
    <figcaption className="chart-legend">
      {entries.map((e) => (
        <span key={e.name}>
          <i style={{ background: e.color }} /> {e.name}
        </span>
      ))}
    </figcaption>
  );
}
