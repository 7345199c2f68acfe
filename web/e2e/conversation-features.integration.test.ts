import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolCalls } from '../../db/schema/index.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../scripts/testing/fake-openai-server.js';
import { eventually } from '../../scripts/testing/harness.js';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';
import { threadMessages } from './inbox-driver.js';
import { inboxFixtures } from './inbox-fixtures.js';

// The conversation view's tools: canned responses, snooze and reopen, the WhatsApp window, and tool approvals.
let p: BrowserPlatform;
let llm: FakeOpenAi;
const LLM_KEY = 'sk-e2e-tools';
beforeAll(async () => {
  [p, llm] = await Promise.all([startBrowserPlatform(), startFakeOpenAi(LLM_KEY)]);
}, 180_000);
afterAll(async () => {
  await p?.close();
  await llm?.close();
});

/** Opens a conversation straight from its address, as a link in a notification would. */
async function openConversation(page: Page, id: string) {
  await page.goto(`${p.webUrl}/inbox/${id}`);
  await page.locator(`[data-testid="conversation"][data-conversation-id="${id}"]`).waitFor();
}

const conversationWithStatus = (page: Page, status: string) => page.locator(`[data-testid="conversation"][data-status="${status}"]`);

describe('the conversation view, in a real browser', () => {
  it('a canned response picked with /shortcut is sent once and reaches the customer', { timeout: 120_000 }, async () => {
    const ws = await p.signup('canned');
    const f = inboxFixtures(p, ws);
    const content = 'We ship within 2 working days, tracked, from our Utrecht warehouse.';
    const made = await f.api('POST', '/v1/canned-responses', { shortcut: 'shipping', content });
    expect(made.status).toBe(201);
    const convo = await f.widgetConversation('Carl Canned', 'How long does delivery take?');

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await openConversation(page, convo.id);
    const input = page.getByTestId('reply-input');
    await input.pressSequentially('/ship');
    const item = page.getByTestId('canned-menu').getByTestId('canned-menu-item').filter({ hasText: '/shipping' });
    await item.waitFor();
    await p.screenshot(page, 'conversation-canned-menu');
    await item.click();
    await expect.poll(() => input.inputValue()).toBe(content);
    expect(await page.getByTestId('canned-menu').count()).toBe(0);
    await page.getByTestId('send-reply').click();
    await threadMessages(page, 'agent').filter({ hasText: content }).first().waitFor();
    await expect.poll(() => input.inputValue()).toBe('');

    const seen = await f.api('GET', '/v1/widget/messages', undefined, convo.visitor.sessionToken);
    expect(seen.status).toBe(200);
    const sent = (seen.body.messages as Array<{ content: string }>).filter((m) => m.content === content);
    expect(sent).toHaveLength(1);
    expect(await threadMessages(page, 'agent').filter({ hasText: content }).count()).toBe(1);
    expect(p.pageErrors).toEqual([]);
  });

  it('snoozes for an hour from the menu, wakes it, resolves and reopens it', { timeout: 120_000 }, async () => {
    const ws = await p.signup('snooze');
    const f = inboxFixtures(p, ws);
    const convo = await f.widgetConversation('Sara Snooze', 'I will send the photos tomorrow.');
    await f.aiAnswered(convo.id);

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await openConversation(page, convo.id);
    const status = page.getByTestId('conversation').getByTestId('status-badge');

    const before = Date.now();
    await page.getByTestId('snooze-menu').click();
    await page.getByTestId('snooze-1h').click();
    await conversationWithStatus(page, 'snoozed').waitFor();
    expect(await status.innerText()).toMatch(/snoozed/i);
    await page.getByTestId('snoozed-until').waitFor();
    const snoozed = await f.conversation(convo.id);
    expect(snoozed.status).toBe('snoozed');
    const until = Date.parse(snoozed.snoozedUntil!);
    expect(until).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1_000);
    await p.screenshot(page, 'conversation-snoozed');

    await page.getByTestId('snooze-menu').click();
    await page.getByTestId('unsnooze').click();
    await conversationWithStatus(page, 'open').waitFor();
    expect(await page.getByTestId('snoozed-until').count()).toBe(0);
    expect(await f.conversation(convo.id)).toMatchObject({ status: 'open', snoozedUntil: null });

    await page.getByTestId('resolve').click();
    await conversationWithStatus(page, 'resolved').waitFor();
    expect((await f.conversation(convo.id)).status).toBe('resolved');
    await page.getByTestId('reopen').click();
    await conversationWithStatus(page, 'open').waitFor();
    expect((await f.conversation(convo.id)).status).toBe('open');
    expect(p.pageErrors).toEqual([]);
  });

  it('warns when a WhatsApp reply would fall outside the 24-hour window, and not when it is open', { timeout: 120_000 }, async () => {
    const ws = await p.signup('window');
    const f = inboxFixtures(p, ws);
    const stale = await f.whatsappConversation('Olga Old', 'Is my warranty still valid?');
    const fresh = await f.whatsappConversation('Fred Fresh', 'Is my warranty still valid?');
    await f.aiAnswered(stale.id);
    await f.ageLastInbound(stale.id, 25);
    expect((await f.conversation(stale.id)).whatsappWindow).toMatchObject({ open: false });
    expect((await f.conversation(fresh.id)).whatsappWindow).toMatchObject({ open: true });

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await openConversation(page, stale.id);
    const warning = page.getByTestId('window-warning');
    await warning.waitFor();
    expect(await warning.innerText()).toMatch(/24-hour window/);
    await p.screenshot(page, 'conversation-whatsapp-window');
    // A private note is never sent to WhatsApp: no warning there.
    await page.getByTestId('reply-mode-note').click();
    await warning.waitFor({ state: 'detached' });

    await openConversation(page, fresh.id);
    await page.getByTestId('reply-form').waitFor();
    expect(await page.getByTestId('window-warning').count()).toBe(0);
    expect(await page.getByTestId('window-closing').count()).toBe(0);
    expect(p.pageErrors).toEqual([]);
  });

  it("a manager approves the AI's pending refund from the tool-call card", { timeout: 150_000 }, async () => {
    const ws = await p.signup('approve');
    const f = inboxFixtures(p, ws);
    // An agent that may refund only with approval, on a model that calls the tools the customer names.
    const cfg = await f.api('POST', '/v1/agent/versions', { name: 'Ava', tools: { enabled: ['issue_refund'], requireApproval: ['issue_refund'] }, escalation: [] });
    expect(cfg.status).toBe(201);
    expect((await f.api('POST', `/v1/agent/versions/${cfg.body.version}/activate`, {})).status).toBe(200);
    const provider = await f.api('POST', '/v1/agent/providers', { kind: 'openai', apiKey: LLM_KEY, baseUrl: `${llm.url}/v1`, model: 'obedient' });
    expect(provider.status).toBe(201);
    const manager = await f.invite('Mona Manager', 'manager');
    const convo = await f.widgetConversation('Rita Refund', 'Please refund 20 EUR on order 77123, it arrived broken.');
    const pending = await eventually(
      async () => (await p.harness.db.select().from(toolCalls).where(and(eq(toolCalls.conversationId, convo.id), eq(toolCalls.status, 'awaiting_approval'))))[0],
      'the refund waiting for approval',
      30_000,
    );

    const page = await p.newPage();
    await p.login(page, manager.email, manager.password);
    await openConversation(page, convo.id);
    const card = page.locator(`[data-testid="tool-call"][data-call-id="${pending.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-tool')).toBe('issue_refund');
    expect(await card.innerText()).toContain('77123');
    await p.screenshot(page, 'conversation-tool-approval');
    await card.getByTestId('approve-tool').click();
    await card.waitFor({ state: 'detached' });
    expect(await page.getByTestId('tool-call-error').count()).toBe(0);

    // The refund then runs and the AI tells the customer; the API records who approved it.
    await threadMessages(page, 'ai').filter({ hasText: 'Done.' }).first().waitFor({ timeout: 20_000 });
    const calls = await f.api('GET', `/v1/conversations/${convo.id}/tool-calls`);
    const decided = (calls.body.toolCalls as Array<{ id: string; status: string; decidedBy: string | null }>).find((c) => c.id === pending.id);
    expect(decided).toMatchObject({ status: 'succeeded', decidedBy: manager.userId });
    expect(p.pageErrors).toEqual([]);
  });
});
