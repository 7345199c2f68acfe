import { useRef, useState } from 'react';

/**
 * Rows of a list editor with stable React keys, so typing in one row never remounts another
 * and removing a row keeps the focus and values of the rest.
 */
export function useRows<T>(initial: T[]) {
  const next = useRef(0);
  const keyed = (value: T) => ({ key: next.current++, value });
  const [rows, setRows] = useState(() => initial.map(keyed));
  return {
    rows,
    values: rows.map((r) => r.value),
    add: (value: T) => setRows((current) => [...current, keyed(value)]),
    remove: (index: number) => setRows((current) => current.filter((_, i) => i !== index)),
    update: (index: number, patch: Partial<T>) =>
      setRows((current) => current.map((row, i) => (i === index ? { ...row, value: { ...row.value, ...patch } } : row))),
    reset: (values: T[]) => setRows(values.map(keyed)),
  };
}

/** An id not yet used in the list, like `guardrail-3`. */
export function nextId(prefix: string, taken: Array<{ id: string }>) {
  const used = new Set(taken.map((t) => t.id));
  let n = taken.length + 1;
  while (used.has(`${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}
