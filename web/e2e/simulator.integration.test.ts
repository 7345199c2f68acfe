import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';
import { conversationRow, threadMessages } from './inbox-driver.js';

// The simulator lets someone try the product offline: write as a WhatsApp customer, watch the AI answer.
let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

describe('the channel simulator in a real browser', () => {
  it('a WhatsApp message gets the AI reply on the page, and the conversation is in the inbox with a WhatsApp badge', { timeout: 120_000 }, async () => {
    const ws = await p.signup('simulator');
    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await page.getByTestId('simulator-link').click();
    await page.waitForURL((url) => url.pathname === '/simulator');

    const phone = `+3161${randomInt(1_000_000, 9_999_999)}`;
    const question = 'Hi, can I still change the delivery address of my order?';
    await page.getByTestId('simulator-channel').selectOption('whatsapp');
    await page.getByTestId('simulator-from').fill(phone);
    await page.getByTestId('simulator-name').fill('Wanda Whatsapp');
    await page.getByTestId('simulator-text').fill(question);
    await page.getByTestId('simulator-send').click();

    await page.waitForURL((url) => url.pathname === '/simulator' && url.searchParams.has('conversation'));
    const conversationId = new URL(page.url()).searchParams.get('conversation')!;
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    const thread = page.getByTestId('simulator-thread');
    const asked = threadMessages(page, 'customer').filter({ hasText: question });
    await asked.waitFor();
    expect(await asked.getByTestId('channel-badge').getAttribute('data-channel')).toBe('whatsapp');
    // The sent text leaves the box; who is writing stays, to keep chatting as the same customer.
    expect(await page.getByTestId('simulator-text').inputValue()).toBe('');
    expect(await page.getByTestId('simulator-from').inputValue()).toBe(phone);
    expect(await page.getByTestId('simulator-name').inputValue()).toBe('Wanda Whatsapp');

    // The AI's answer shows up on the page by itself.
    const answer = thread.locator('[data-testid="message"][data-author-role="ai"]').first();
    await answer.waitFor({ timeout: 30_000 });
    expect((await answer.innerText()).trim().length).toBeGreaterThan(0);
    const stored = await p.harness.call('GET', `/v1/conversations/${conversationId}/messages`, undefined, ws.accessToken);
    const aiStored = (stored.body.messages as Array<{ authorRole: string; content: string; channel: string }>).filter((m) => m.authorRole === 'ai');
    expect(aiStored.length).toBeGreaterThan(0);
    expect(aiStored[0].channel).toBe('whatsapp');
    expect(await answer.innerText()).toContain(aiStored[0].content.slice(0, 40));
    await p.screenshot(page, 'simulator');

    // The same conversation is in the inbox, marked as WhatsApp.
    await page.getByTestId('nav-inbox').click();
    const row = conversationRow(page, conversationId);
    await row.waitFor();
    expect(await row.getAttribute('data-channel')).toBe('whatsapp');
    const badge = row.getByTestId('channel-badge');
    expect(await badge.getAttribute('data-channel')).toBe('whatsapp');
    expect(await badge.innerText()).toMatch(/whatsapp/i);
    expect(await row.innerText()).toContain('Wanda Whatsapp');
    expect(p.pageErrors).toEqual([]);
  });
});
