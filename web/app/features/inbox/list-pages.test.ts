import { describe, expect, it } from 'vitest';
import { API_PAGE_LIMIT, loadFirstRows, MAX_SHOWN, nextShown, PAGE_SIZE, parseShown, type KeysetPage } from './list-pages';

const rows = (...ids: string[]) => ids.map((id) => ({ id }));

/** A keyset API over `ids` (cursor = index of the next row), recording each request. */
function fakeApi(ids: string[], calls: Array<{ limit: number; cursor?: string }> = []) {
  return async (limit: number, cursor: string | undefined): Promise<KeysetPage<{ id: string }>> => {
    calls.push({ limit, cursor });
    const from = cursor ? Number(cursor) : 0;
    const to = from + limit;
    return { conversations: rows(...ids.slice(from, to)), nextCursor: to < ids.length ? String(to) : null };
  };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

describe('"Load more" row counts', () => {
  it('reads only counts past the first page, capped', () => {
    expect(parseShown(null)).toBeNull();
    expect(parseShown('abc')).toBeNull();
    expect(parseShown('-100')).toBeNull();
    expect(parseShown(String(PAGE_SIZE))).toBeNull();
    expect(parseShown('100')).toBe(100);
    expect(parseShown('99999')).toBe(MAX_SHOWN);
  });

  it('grows a page at a time up to the cap', () => {
    expect(nextShown(PAGE_SIZE)).toBe(2 * PAGE_SIZE);
    expect(nextShown(MAX_SHOWN - 10)).toBe(MAX_SHOWN);
    expect(nextShown(MAX_SHOWN)).toBeNull();
  });
});

describe('loading the first rows', () => {
  it('walks pages of at most the API limit and hands on the cursor after the last row', async () => {
    const calls: Array<{ limit: number; cursor?: string }> = [];
    const list = await loadFirstRows(250, fakeApi(ids(400), calls));
    expect(list.conversations.map((r) => r.id)).toEqual(ids(250));
    expect(list.nextCursor).toBe('250');
    expect(calls).toEqual([
      { limit: API_PAGE_LIMIT, cursor: undefined },
      { limit: API_PAGE_LIMIT, cursor: '100' },
      { limit: 50, cursor: '200' },
    ]);
  });

  it('stops at the end of the list', async () => {
    const calls: Array<{ limit: number; cursor?: string }> = [];
    const list = await loadFirstRows(300, fakeApi(ids(120), calls));
    expect(list.conversations).toHaveLength(120);
    expect(list.nextCursor).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('keeps the row that a reload pushed off the first page', async () => {
    // A new conversation arrives on top: the old 50th row is now 51st and still shown.
    const before = ids(120);
    const after = ['new', ...before];
    const list = await loadFirstRows(100, fakeApi(after));
    expect(list.conversations.map((r) => r.id)).toContain(before[PAGE_SIZE - 1]);
    expect(list.conversations.map((r) => r.id)).toContain(before[PAGE_SIZE]);
    expect(list.conversations[0]!.id).toBe('new');
  });

  it('shows a row once when it moves between two page requests', async () => {
    let call = 0;
    const list = await loadFirstRows(150, async () => {
      call += 1;
      return call === 1 ? { conversations: rows('a', 'b'), nextCursor: 'x' } : { conversations: rows('b', 'c'), nextCursor: null };
    });
    expect(list.conversations.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });
});
