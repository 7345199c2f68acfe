/**
 * "Load more" pages of the conversation list. The loader's first page is revalidated on every
 * live event while later pages are fetched once, so a conversation that moved up (a new message)
 * shows in the first page and must not show again further down.
 */
export interface ListPage<T extends { id: string }> {
  /** The cursor this page was fetched with: a page is kept once per cursor. */
  cursor: string;
  conversations: T[];
  nextCursor: string | null;
}

export function appendPage<T extends { id: string }>(pages: ListPage<T>[], page: ListPage<T>): ListPage<T>[] {
  if (pages.some((p) => p.cursor === page.cursor)) return pages;
  return [...pages, page];
}

/** The rows to show, in order, each conversation once (its freshest copy wins: the earliest page). */
export function mergePages<T extends { id: string }>(first: T[], pages: ListPage<T>[]): T[] {
  const seen = new Set(first.map((c) => c.id));
  const rows = [...first];
  for (const page of pages) {
    for (const conversation of page.conversations) {
      if (seen.has(conversation.id)) continue;
      seen.add(conversation.id);
      rows.push(conversation);
    }
  }
  return rows;
}

/** The cursor for the next "Load more", or null when the list is complete. */
export function nextCursorOf<T extends { id: string }>(firstNextCursor: string | null, pages: ListPage<T>[]): string | null {
  return pages.length === 0 ? firstNextCursor : pages[pages.length - 1]!.nextCursor;
}
