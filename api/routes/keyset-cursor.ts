import { AppError } from '../errors.js';

/**
 * A position in a keyset-paged list ordered by `(time, id)`, such as the inbox (`at` null sorts last
 * there) or a contact's timeline; `at` keeps PostgreSQL's microseconds, which a Date would lose.
 */
export interface Cursor {
  at: string | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** timestamptz as PostgreSQL prints it (DateStyle ISO): anything else would fail in the query, as a 500. */
const PG_TIMESTAMPTZ = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/;

/**
 * Rejects well-formed but impossible times, which PostgreSQL would refuse (as a 500): checked field
 * by field, because Date.parse accepts "2026-02-30", year 0 and offsets past PostgreSQL's ±15:59:59.
 */
function realInstant(at: string): boolean {
  const m = PG_TIMESTAMPTZ.exec(at);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offH, offM = 0, offS = 0] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const monthEnd = new Date(0);
  monthEnd.setUTCFullYear(year, month, 0);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= monthEnd.getUTCDate() && hour <= 23 && minute <= 59 && second <= 59 && offH <= 15 && offM <= 59 && offS <= 59;
}

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');

export function decodeCursor(raw: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, 'base64url').toString()) as unknown[];
    if ((at === null || (typeof at === 'string' && realInstant(at))) && typeof id === 'string' && UUID.test(id)) return { at, id };
  } catch {
    // falls through to the 400 below
  }
  throw new AppError('validation_failed', 'cursor is not one this API handed out', [{ field: 'cursor', message: 'invalid cursor' }]);
}
