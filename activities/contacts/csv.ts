/**
 * RFC 4180 CSV, read a window at a time: quoted fields may hold commas, quotes ("") and line
 * breaks. `parseRows` stops at the last complete row of the window unless it is the end of the
 * file, and says how many characters it consumed, so the next window starts on a row boundary.
 */
export interface ParsedWindow {
  rows: string[][];
  consumed: number;
}

export function parseRows(text: string, { final, maxRows = Infinity }: { final: boolean; maxRows?: number }): ParsedWindow {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let consumed = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    // A blank line is no row.
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        // Without the next character we cannot tell an escaped quote from the closing one.
        if (i + 1 >= text.length && !final) break;
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && i + 1 >= text.length && !final) break;
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      consumed = i + 1;
      if (rows.length >= maxRows) return { rows, consumed };
    } else {
      field += ch;
    }
    i++;
  }
  if (final && i >= text.length && (field !== '' || row.length > 0)) {
    endRow();
    consumed = text.length;
  } else if (final && i >= text.length) {
    consumed = text.length;
  }
  return { rows, consumed };
}

/** One CSV field, quoted when it must be. */
export const csvField = (value: unknown): string => {
  const s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
