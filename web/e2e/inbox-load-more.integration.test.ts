import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';
import { markDocument, documentStillMarked, waitForLive } from './inbox-driver.js';
import { inboxFixtures, rowIds } from './inbox-fixtures.js';

// "Load more" past the first page (50 rows) while live events reorder the list.
let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

describe('loading more conversations, in a real browser', () => {
  it('a new conversation on top keeps every loaded row: the one pushed off the first page stays listed', { timeout: 240_000 }, async () => {
    const ws = await p.signup('more');
    const f = inboxFixtures(p, ws);
    const made: string[] = [];
    // A few at a time: each starts a conversation workflow and an AI answer.
    for (let i = 0; i < 55; i += 5) {
      const batch = await Promise.all([0, 1, 2, 3, 4].map((j) => f.whatsappConversation(`Customer ${i + j}`, `Question number ${i + j}`)));
      made.push(...batch.map((c) => c.id));
    }
    for (const id of made) await f.aiAnswered(id);

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await waitForLive(page);
    await expect.poll(async () => (await rowIds(page)).length, { timeout: 15_000 }).toBe(50);
    await page.getByTestId('load-more').click();
    await expect.poll(async () => (await rowIds(page)).length, { timeout: 15_000 }).toBe(55);
    const before = await rowIds(page);
    expect(new Set(before)).toEqual(new Set(made));
    expect(await page.getByTestId('load-more').count()).toBe(0);

    // A new customer writes: the list refreshes live, with every row it showed still there.
    await markDocument(page);
    const fresh = await f.whatsappConversation('Newest Customer', 'Is anyone there?');
    await expect.poll(async () => (await rowIds(page))[0], { timeout: 15_000 }).toBe(fresh.id);
    await f.aiAnswered(fresh.id);
    // Later live events (the AI's answer) refresh the longer list too, and nothing is lost.
    await expect.poll(async () => (await rowIds(page)).length, { timeout: 15_000 }).toBe(56);
    const after = await rowIds(page);
    expect(new Set(after)).toEqual(new Set([fresh.id, ...made]));
    expect(after).toContain(before[49]);
    expect(await documentStillMarked(page)).toBe(true);
    expect(p.pageErrors).toEqual([]);
  });
});
