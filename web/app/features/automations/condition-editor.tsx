import { ExpressionInput } from './expression-input';

const OPS = ['equals', 'not_equals', 'contains', 'not_contains', 'starts_with', 'ends_with', 'gt', 'gte', 'lt', 'lte', 'exists', 'not_exists', 'in', 'matches'] as const;
type Comparison = { left: string; op: string; right?: unknown };
type Group = { all?: Comparison[]; any?: Comparison[] };

/** Comparisons joined by AND or OR. A condition built otherwise (nested groups) is edited as JSON. */
export function ConditionEditor({ value, onChange, references }: { value: unknown; onChange: (v: unknown) => void; references: string[] }) {
  const group = value as Group;
  const mode = group?.any ? 'any' : 'all';
  const rows = (group?.[mode] ?? []) as Comparison[];
  const simple = rows.every((r) => r && typeof r === 'object' && 'left' in r);
  if (!simple || !(group?.all || group?.any)) {
    return (
      <textarea
        rows={6}
        defaultValue={JSON.stringify(value, null, 2)}
        onBlur={(e) => {
          try {
            onChange(JSON.parse(e.target.value));
          } catch {
            // Kept as typed until it parses.
          }
        }}
      />
    );
  }
  const set = (next: Comparison[], nextMode = mode) => onChange({ [nextMode]: next });
  return (
    <div className="condition-editor" data-testid="condition-editor">
      <label>
        Match{' '}
        <select value={mode} onChange={(e) => set(rows, e.target.value as 'all' | 'any')} data-testid="condition-mode">
          <option value="all">all (AND)</option>
          <option value="any">any (OR)</option>
        </select>
      </label>
      {rows.map((row, i) => (
        <div key={i} className="condition-row" data-testid="condition-row">
          <ExpressionInput value={row.left ?? ''} references={references} onChange={(left) => set(rows.map((r, j) => (j === i ? { ...r, left } : r)))} placeholder="{{trigger.message.text}}" testId="condition-left" />
          <select value={row.op} onChange={(e) => set(rows.map((r, j) => (j === i ? { ...r, op: e.target.value } : r)))} data-testid="condition-op">
            {OPS.map((op) => (
              <option key={op} value={op}>
                {op.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          {row.op === 'exists' || row.op === 'not_exists' ? null : (
            <ExpressionInput value={typeof row.right === 'string' ? row.right : JSON.stringify(row.right ?? '')} references={references} onChange={(right) => set(rows.map((r, j) => (j === i ? { ...r, right } : r)))} testId="condition-right" />
          )}
          <button type="button" onClick={() => set(rows.filter((_, j) => j !== i))} aria-label="Remove comparison" disabled={rows.length === 1}>
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set([...rows, { left: '', op: 'equals', right: '' }])}>
        Add comparison
      </button>
    </div>
  );
}
