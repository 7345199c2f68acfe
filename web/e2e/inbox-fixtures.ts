/**
 * Conversations set up through the API as customers and teammates would make them, for browser
 * tests of the inbox. Everything goes through the real API; only the clock-dependent WhatsApp
 * window is moved in the database (see `ageLastInbound`).
 */
import { and, eq } from 'drizzle-orm';
import { randomInt, randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { conversations, messages } from '../../db/schema/index.js';
import { eventually } from '../../scripts/testing/harness.js';
import type { BrowserPlatform } from './browser-harness.js';
import { inboxSelectors } from './inbox-driver.js';

export type Workspace = Awaited<ReturnType<BrowserPlatform['signup']>>;

export function inboxFixtures(p: BrowserPlatform, ws: Workspace) {
  const api = async (method: string, path: string, body?: unknown, token = ws.accessToken) => p.harness.call(method, path, body, token);

  /** A widget visitor with this name writes a first message: a new widget conversation. */
  const widgetConversation = async (name: string, content: string) => {
    const visitor = await p.harness.visitor(ws.tenant.widgetKey, { name });
    const r = await p.harness.call('POST', '/v1/widget/messages', { content, clientMessageId: randomUUID() }, visitor.sessionToken);
    expect(r.status).toBe(202);
    return { id: r.body.conversationId as string, visitor };
  };

  /** A WhatsApp customer writes through the channel simulator. */
  const whatsappConversation = async (name: string, text: string) => {
    const r = await api('POST', '/v1/channels/simulator/messages', { channel: 'whatsapp', from: `+3162${randomInt(1_000_000, 9_999_999)}`, name, text });
    expect(r.status).toBe(201);
    return { id: r.body.conversationId as string };
  };

  const conversation = async (id: string) => {
    const r = await api('GET', `/v1/conversations/${id}`);
    expect(r.status).toBe(200);
    return r.body.conversation as {
      status: string;
      owner: string;
      assigneeId: string | null;
      snoozedUntil: string | null;
      labels: string[];
      whatsappWindow: { open: boolean; closesAt: string | null } | null;
    };
  };

  const act = async (id: string, action: string, body?: unknown) => {
    const r = await api('POST', `/v1/conversations/${id}/${action}`, body);
    expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };

  /** Waits for the AI's answer, so nothing about the conversation changes behind the test's back. */
  const aiAnswered = (id: string) =>
    eventually(
      async () => (await p.harness.db.select({ id: messages.id }).from(messages).where(and(eq(messages.conversationId, id), eq(messages.authorRole, 'ai')))).length > 0,
      `the AI's answer in ${id}`,
      30_000,
    );

  /** Moves the customer's last message back in time: WhatsApp's 24-hour window is then closed. */
  const ageLastInbound = async (id: string, hours: number) => {
    await p.harness.db.update(conversations).set({ lastInboundAt: new Date(Date.now() - hours * 3_600_000) }).where(eq(conversations.id, id));
  };

  /** Invites a teammate with a role and accepts for them. */
  const invite = async (name: string, role: 'agent' | 'manager' | 'admin') => {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
    const inv = await api('POST', '/v1/invitations', { email, role });
    expect(inv.status).toBe(201);
    const password = 'a long password';
    const joined = await p.harness.call('POST', '/v1/invitations/accept', { token: inv.body.token, name, password });
    expect(joined.status).toBe(201);
    return { email, password, userId: joined.body.user.id as string, accessToken: joined.body.accessToken as string };
  };

  return { api, widgetConversation, whatsappConversation, conversation, act, aiAnswered, ageLastInbound, invite };
}

/** The conversation ids listed on the page, top to bottom. */
export const rowIds = (page: Page) =>
  page.locator(inboxSelectors.row).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-conversation-id') ?? ''));

/** Waits until the list shows exactly these conversations, in any order. */
export async function expectRows(page: Page, ids: string[]) {
  await expect.poll(async () => (await rowIds(page)).sort(), { timeout: 15_000 }).toEqual([...ids].sort());
}

/** Waits until the page's URL has these query parameters (and, with `pathname`, that path). */
export async function expectQuery(page: Page, params: Record<string, string | null>, pathname?: string) {
  await page.waitForURL((url) => (!pathname || url.pathname === pathname) && Object.entries(params).every(([k, v]) => url.searchParams.get(k) === v));
}
