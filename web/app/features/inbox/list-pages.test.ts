import { describe, expect, it } from 'vitest';
import { appendPage, mergePages, nextCursorOf, type ListPage } from './list-pages';

const rows = (...ids: string[]) => ids.map((id) => ({ id }));

describe('"Load more" pages', () => {
  it('appends each cursor once', () => {
    const page: ListPage<{ id: string }> = { cursor: 'c1', conversations: rows('d'), nextCursor: 'c2' };
    const once = appendPage([], page);
    expect(appendPage(once, { ...page, conversations: rows('z') })).toBe(once);
  });

  it('shows a conversation that moved into the first page only there', () => {
    const pages = [{ cursor: 'c1', conversations: rows('c', 'd', 'e'), nextCursor: 'c2' }];
    expect(mergePages(rows('d', 'a', 'b'), pages).map((r) => r.id)).toEqual(['d', 'a', 'b', 'c', 'e']);
  });

  it('takes the next cursor from the last page loaded', () => {
    expect(nextCursorOf('c1', [])).toBe('c1');
    expect(nextCursorOf('c1', [{ cursor: 'c1', conversations: [], nextCursor: null }])).toBeNull();
  });
});
