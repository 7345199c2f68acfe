import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';
import { conversationRow, documentStillMarked, markDocument, waitForLive } from './inbox-driver.js';
import { expectQuery, expectRows, inboxFixtures, rowIds } from './inbox-fixtures.js';

// The inbox as an agent works it: from the keyboard, and through its views, filters and search.
let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

/** The row the list marks as open: the only one with aria-current="page". */
async function expectOpen(page: Page, id: string) {
  await page.waitForURL((url) => url.pathname === `/inbox/${id}`);
  await page.locator(`[data-testid="conversation-row"][aria-current="page"][data-conversation-id="${id}"]`).waitFor();
  expect(await page.locator('[data-testid="conversation-row"][aria-current="page"]').count()).toBe(1);
  await page.locator(`[data-testid="conversation"][data-conversation-id="${id}"]`).waitFor();
}

describe('inbox keyboard shortcuts, in a real browser', () => {
  it('j/k move between conversations, r replies, a assigns to me, / searches, ? shows help, and keys typed in the reply box stay there', { timeout: 180_000 }, async () => {
    const ws = await p.signup('keys');
    const f = inboxFixtures(p, ws);
    const made = [];
    for (const [name, text] of [
      ['Kim One', 'Do you ship to Iceland?'],
      ['Kim Two', 'What sizes does the rain jacket come in?'],
      ['Kim Three', 'Can I pay with an invoice?'],
    ]) made.push(await f.widgetConversation(name, text));
    // Once the AI has answered nothing moves: the list order stays what the test reads below.
    for (const c of made) await f.aiAnswered(c.id);

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await waitForLive(page);
    await expectRows(page, made.map((c) => c.id));
    const order = await rowIds(page);
    await markDocument(page);

    // With nothing open, j opens the top conversation; j again the next; k goes back.
    await page.keyboard.press('j');
    await expectOpen(page, order[0]!);
    await page.keyboard.press('j');
    await expectOpen(page, order[1]!);
    await page.keyboard.press('j');
    await expectOpen(page, order[2]!);
    await page.keyboard.press('k');
    await expectOpen(page, order[1]!);
    expect(await documentStillMarked(page)).toBe(true);

    // r focuses the reply box; j typed there is text (a shortcut would swallow the key), not a navigation.
    await page.keyboard.press('r');
    await expect.poll(() => focusedTestId(page)).toBe('reply-input');
    await page.keyboard.type('jj');
    expect(await page.getByTestId('reply-input').inputValue()).toBe('jj');
    expect(new URL(page.url()).pathname).toBe(`/inbox/${order[1]}`);
    await page.getByTestId('reply-input').fill('');

    // a (with focus out of the box) assigns the open conversation to the signed-in agent.
    await page.getByTestId('conversation-contact').click();
    expect((await f.conversation(order[1]!)).assigneeId).toBeNull();
    await page.keyboard.press('a');
    await page.getByTestId('shortcut-notice').filter({ hasText: 'Assigned to you.' }).waitFor();
    expect((await f.conversation(order[1]!)).assigneeId).toBe(ws.user.id);
    await expect.poll(() => page.getByTestId('assign-select').inputValue()).toBe(ws.user.id);
    await conversationRow(page, order[1]).and(page.locator(`[data-assignee-id="${ws.user.id}"]`)).waitFor();
    // The other two are untouched.
    expect((await f.conversation(order[0]!)).assigneeId).toBeNull();

    // / focuses search without typing the slash; Escape leaves it.
    await page.keyboard.press('/');
    await expect.poll(() => focusedTestId(page)).toBe('inbox-search');
    expect(await page.getByTestId('inbox-search').inputValue()).toBe('');
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedTestId(page)).not.toBe('inbox-search');

    // ? opens the help; while it is open j does nothing; Escape closes it.
    const help = page.getByTestId('shortcut-help');
    expect(await help.isVisible()).toBe(false);
    await page.keyboard.press('?');
    await help.waitFor({ state: 'visible' });
    expect(await help.innerText()).toContain('Assign the open conversation to me');
    await p.screenshot(page, 'inbox-shortcut-help');
    await page.keyboard.press('j');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe(`/inbox/${order[1]}`);

    expect(await documentStillMarked(page)).toBe(true);
    expect(p.pageErrors).toEqual([]);
  });
});

describe('inbox views, filters and search, in a real browser', () => {
  it('Mine, Unassigned, All and AI list the right conversations; channel, label and search filter them live and survive a reload', { timeout: 240_000 }, async () => {
    const ws = await p.signup('views');
    const f = inboxFixtures(p, ws);
    const tess = await f.invite('Tess Teammate', 'agent');
    const mine = await f.widgetConversation('Mia Mine', 'Where is my parcel?');
    const unassigned = await f.widgetConversation('Uma Unassigned', 'Can I change my delivery address?');
    const teammates = await f.widgetConversation('Theo Teammate', 'Do you sell gift cards?');
    const aiWidget = await f.widgetConversation('Ada Widget', 'Could my order come by zeppelin?');
    const aiWhatsapp = await f.whatsappConversation('Walt Whatsapp', 'Is the shop open on Sunday?');

    // Taking over assigns the taker: mine. Unassigning leaves it waiting for anyone. Tess has the third.
    await f.act(mine.id, 'take-over');
    await f.act(unassigned.id, 'take-over');
    await f.act(unassigned.id, 'assign', { assigneeId: null });
    await f.act(teammates.id, 'take-over');
    await f.act(teammates.id, 'assign', { assigneeId: tess.userId });
    await f.aiAnswered(aiWidget.id);
    await f.aiAnswered(aiWhatsapp.id);
    const all = [mine, unassigned, teammates, aiWidget, aiWhatsapp].map((c) => c.id);
    const expected = { mine: [mine.id], unassigned: [unassigned.id], ai: [aiWidget.id, aiWhatsapp.id], all };
    // The API agrees with the set-up before the page is asked.
    for (const [view, ids] of Object.entries(expected)) {
      const listed = await f.api('GET', `/v1/conversations?view=${view}&status=open`);
      expect((listed.body.conversations as Array<{ id: string }>).map((c) => c.id).sort(), view).toEqual([...ids].sort());
    }

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await waitForLive(page);
    await expectRows(page, all);
    for (const [view, ids] of Object.entries(expected)) expect(await page.getByTestId(`view-count-${view}`).innerText()).toBe(String(ids.length));
    await markDocument(page);

    for (const view of ['mine', 'unassigned', 'ai', 'all'] as const) {
      await page.getByTestId(`view-tab-${view}`).click();
      await expectQuery(page, { view: view === 'all' ? null : view }, '/inbox');
      await expectRows(page, expected[view]);
      expect(await page.getByTestId(`view-tab-${view}`).getAttribute('aria-current')).toBe('page');
    }
    expect(await conversationRow(page, aiWhatsapp.id).getAttribute('data-owner')).toBe('ai');
    expect(await conversationRow(page, teammates.id).getAttribute('data-assignee-id')).toBe(tess.userId);

    // A label set from the conversation's chips reaches the API and the label filter's options.
    await conversationRow(page, unassigned.id).click();
    await page.waitForURL((url) => url.pathname === `/inbox/${unassigned.id}`);
    await page.getByTestId('label-input').fill('vip');
    await page.getByTestId('label-input').press('Enter');
    await page.locator('[data-testid="label-chip"][data-label="vip"]').waitFor();
    await expect.poll(async () => (await f.conversation(unassigned.id)).labels).toEqual(['vip']);
    await conversationRow(page, unassigned.id).getByTestId('row-label').filter({ hasText: 'vip' }).waitFor();

    // Channel filter: the open conversation stays open while the list changes.
    await page.getByTestId('filter-toggle').click();
    await page.getByTestId('filter-channel').selectOption('whatsapp');
    await expectQuery(page, { channel: 'whatsapp' }, `/inbox/${unassigned.id}`);
    await expectRows(page, [aiWhatsapp.id]);
    await page.getByTestId('filter-channel').selectOption('widget');
    await expectQuery(page, { channel: 'widget' });
    await expectRows(page, [mine.id, unassigned.id, teammates.id, aiWidget.id]);
    await page.getByTestId('filter-channel').selectOption('');
    await expectQuery(page, { channel: null });
    await expectRows(page, all);

    // Label filter.
    await page.getByTestId('filter-label').selectOption('vip');
    await expectQuery(page, { label: 'vip' });
    await expectRows(page, [unassigned.id]);
    expect(await documentStillMarked(page)).toBe(true);
    await page.reload();
    await waitForLive(page);
    await expectRows(page, [unassigned.id]);
    expect(await page.getByTestId('filter-label').inputValue()).toBe('vip');
    await page.getByTestId('conversation').waitFor();
    await markDocument(page);
    await page.getByTestId('filter-label').selectOption('');
    await expectQuery(page, { label: null });
    await expectRows(page, all);

    // Search by a word from a message, then by the contact's name.
    await page.getByTestId('inbox-search').fill('zeppelin');
    await expectQuery(page, { q: 'zeppelin' });
    await expectRows(page, [aiWidget.id]);
    await page.getByTestId('inbox-search').fill('Theo');
    await expectQuery(page, { q: 'Theo' });
    await expectRows(page, [teammates.id]);
    const searched = await f.api('GET', '/v1/conversations?q=Theo');
    expect((searched.body.conversations as Array<{ id: string }>).map((c) => c.id)).toEqual([teammates.id]);
    expect(await documentStillMarked(page)).toBe(true);
    await p.screenshot(page, 'inbox-filtered');

    // The whole state is in the URL: a reload (and a view change on top) keeps it.
    await page.reload();
    await expectRows(page, [teammates.id]);
    expect(await page.getByTestId('inbox-search').inputValue()).toBe('Theo');
    await page.getByTestId('view-tab-mine').click();
    await expectQuery(page, { view: 'mine', q: 'Theo' });
    await page.getByTestId('conversation-list-empty').waitFor();
    expect(await rowIds(page)).toEqual([]);
    expect(p.pageErrors).toEqual([]);
  });
});
