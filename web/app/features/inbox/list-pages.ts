/**
 * "Load more" for the conversation list. The list keeps a row count (`shown`), not pages: the
 * first `shown` rows are loaded together, walking keyset pages server-side, and a live
 * revalidation loads them all again. Pages fetched once by cursor went stale, and a row pushed
 * off the first page by a revalidation fell between the new first page and the old second one.
 */

/** Rows in the first page, and what each "Load more" adds. */
export const PAGE_SIZE = 50;
/** The API's largest page. */
export const API_PAGE_LIMIT = 100;
/**
 * Every live event reloads all rows shown (one API call per 100), so the list stops growing here;
 * filters and search reach the rest.
 */
export const MAX_SHOWN = 500;

/** The row count a `shown` query parameter asks for, or null for the plain first page. */
export function parseShown(raw: string | null): number | null {
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const shown = Number(raw);
  if (shown <= PAGE_SIZE) return null;
  return Math.min(shown, MAX_SHOWN);
}

/** The row count after one more "Load more", or null once the list is as long as it gets. */
export function nextShown(current: number): number | null {
  return current >= MAX_SHOWN ? null : Math.min(current + PAGE_SIZE, MAX_SHOWN);
}

export interface KeysetPage<T> {
  conversations: T[];
  nextCursor?: string | null;
}

/**
 * The first `shown` rows, fetched page after page (each at most `API_PAGE_LIMIT`). A row can move
 * between two page requests (a new message lifts it to the top), so each id is kept once.
 */
export async function loadFirstRows<T extends { id: string }>(
  shown: number,
  fetchPage: (limit: number, cursor: string | undefined) => Promise<KeysetPage<T>>,
): Promise<{ conversations: T[]; nextCursor: string | null }> {
  const rows: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  let requested = 0;
  while (requested < shown) {
    const limit = Math.min(API_PAGE_LIMIT, shown - requested);
    const page = await fetchPage(limit, cursor);
    requested += limit;
    for (const row of page.conversations) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      rows.push(row);
    }
    cursor = page.nextCursor ?? undefined;
    if (!cursor) return { conversations: rows, nextCursor: null };
  }
  return { conversations: rows, nextCursor: cursor ?? null };
}
