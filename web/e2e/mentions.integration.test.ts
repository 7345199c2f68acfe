import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';
import { documentStillMarked, markDocument, waitForLive } from './inbox-driver.js';

// A private note's @mention reaches the teammate it names, live, and never the customer.
let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

const TEAMMATE = 'Bea Teammate';

describe('@mentions in a real browser', () => {
  it('a note mentioning a teammate raises their count live, lists it, opens the conversation, and stays hidden from the customer', { timeout: 180_000 }, async () => {
    const owner = await p.signup('mentions');
    const bea = await invite(owner.accessToken, TEAMMATE);
    const customer = await p.harness.visitor(owner.tenant.widgetKey, { name: 'Casey Customer' });
    const asked = await p.harness.call('POST', '/v1/widget/messages', { content: 'My parcel never arrived.', clientMessageId: randomUUID() }, customer.sessionToken);
    expect(asked.status).toBe(202);
    const conversationId = asked.body.conversationId as string;

    // Bea is signed in elsewhere, on the inbox, with nothing mentioning her yet.
    const beaPage = await p.newPage();
    await p.login(beaPage, bea.email, bea.password);
    await waitForLive(beaPage);
    await mentionsLoaded(beaPage);
    expect(await beaPage.getByTestId('mentions-count').count()).toBe(0);
    await markDocument(beaPage);

    // The owner writes a private note and picks Bea from the @ menu.
    const ownerPage = await p.newPage();
    await p.login(ownerPage, owner.email, owner.password);
    await ownerPage.goto(`${p.webUrl}/inbox/${conversationId}`);
    await ownerPage.getByTestId('reply-mode-note').click();
    const input = ownerPage.getByTestId('reply-input');
    await input.fill('Please call them back, ');
    await input.pressSequentially('@Bea');
    await ownerPage.getByTestId('mention-menu').getByTestId('mention-menu-item').filter({ hasText: TEAMMATE }).click();
    await input.pressSequentially('the courier lost it.');
    const noteText = `Please call them back, @${TEAMMATE} the courier lost it.`;
    expect(await input.inputValue()).toBe(noteText);
    await ownerPage.getByTestId('send-reply').click();
    await ownerPage.getByTestId('note').filter({ hasText: 'the courier lost it.' }).waitFor();

    // Bea's count goes to 1 without a reload.
    await beaPage.getByTestId('mentions-count').filter({ hasText: /^1$/ }).waitFor({ timeout: 10_000 });
    expect(await beaPage.getByTestId('mentions-button').getAttribute('aria-label')).toBe('Mentions, 1 unread');
    expect(await documentStillMarked(beaPage)).toBe(true);
    await p.screenshot(beaPage, 'mentions-count');
    const stored = await p.harness.call('GET', '/v1/me/mentions', undefined, bea.accessToken);
    expect(stored.body.mentions).toEqual([expect.objectContaining({ conversationId, content: noteText, mentions: [{ id: bea.userId, name: TEAMMATE }] })]);

    // The list shows who, where and what; opening it reads it.
    await beaPage.getByTestId('mentions-button').click();
    const item = beaPage.getByTestId('mentions-list').getByTestId('mention-item');
    await item.first().waitFor();
    expect(await item.count()).toBe(1);
    const text = await item.innerText();
    expect(text).toContain('mentions owner');
    expect(text).toContain('Casey Customer');
    expect(text).toContain('the courier lost it.');
    expect(await item.getAttribute('data-unread')).toBe('true');
    await beaPage.getByTestId('mentions-count').waitFor({ state: 'detached' });
    await p.screenshot(beaPage, 'mentions-list');

    await item.click();
    await beaPage.waitForURL((url) => url.pathname === `/inbox/${conversationId}`);
    await beaPage.getByTestId('note').filter({ hasText: 'the courier lost it.' }).waitFor();
    expect(await beaPage.getByTestId('mentions-list').count()).toBe(0);

    // Read stays read across a reload (the mark is in this browser's storage).
    await beaPage.reload();
    await mentionsLoaded(beaPage);
    expect(await beaPage.getByTestId('mentions-count').count()).toBe(0);

    // The customer's history has their message and never the note.
    const history = await p.harness.call('GET', '/v1/widget/messages', undefined, customer.sessionToken);
    expect(history.status).toBe(200);
    const contents = (history.body.messages as Array<{ content: string }>).map((m) => m.content);
    expect(contents).toContain('My parcel never arrived.');
    expect(contents.join('\n')).not.toContain('courier');
    expect(p.pageErrors).toEqual([]);
  });
});

/** Invites a teammate as an agent and accepts for them. */
async function invite(token: string, name: string) {
  const email = `bea-${randomUUID().slice(0, 8)}@example.com`;
  const inv = await p.harness.call('POST', '/v1/invitations', { email, role: 'agent' }, token);
  expect(inv.status).toBe(201);
  const password = 'a long password';
  const joined = await p.harness.call('POST', '/v1/invitations/accept', { token: inv.body.token, name, password });
  expect(joined.status).toBe(201);
  return { email, password, userId: joined.body.user.id as string, accessToken: joined.body.accessToken as string };
}

/** The bell has its first answer, so a later count can only come from a live update. */
async function mentionsLoaded(page: Page) {
  await page.locator('[data-testid="mentions-button"][data-loaded="true"]').waitFor({ timeout: 15_000 });
}
