/**
 * Selectors for the agent workspace's inbox and conversation view. Where the view is being
 * reworked, a selector accepts both the earlier and the newer test id.
 */
import type { Locator, Page } from 'playwright-core';

const id = (...ids: string[]) => ids.map((v) => `[data-testid="${v}"]`).join(', ');

export const inboxSelectors = {
  row: id('conversation-row'),
  conversation: id('conversation'),
  message: id('message'),
  takeOver: id('action-take-over', 'take-over'),
  replyInput: id('reply-input'),
  replySend: id('reply-send', 'send-reply'),
  liveStatus: id('live-status'),
};

export function conversationRow(page: Page, conversationId?: string): Locator {
  const rows = page.locator(inboxSelectors.row);
  return conversationId ? rows.and(page.locator(`[data-conversation-id="${conversationId}"]`)) : rows;
}

/** Messages in the open conversation, optionally of one author role (customer, ai, agent, system). */
export function threadMessages(page: Page, role?: string): Locator {
  const all = page.locator(inboxSelectors.message);
  return role ? all.and(page.locator(`[data-author-role="${role}"], [data-role="${role}"]`)) : all;
}

/** Waits until the page's live-update stream is connected, so later events are not missed. */
export async function waitForLive(page: Page) {
  await page.locator(`${inboxSelectors.liveStatus}[data-state="live"]`).first().waitFor({ timeout: 15_000 });
}

/**
 * Marks the current document so a test can tell a live update (same document) from a reload or a
 * full navigation (the mark is gone).
 */
export async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { __e2eMark?: number }).__e2eMark = 1));
}

export async function documentStillMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __e2eMark?: number }).__e2eMark === 1);
}

/** Sends a reply from the open conversation's reply box. */
export async function sendReply(page: Page, text: string) {
  await page.locator(inboxSelectors.replyInput).first().fill(text);
  await page.locator(inboxSelectors.replySend).first().click();
}
