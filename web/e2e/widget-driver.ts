/**
 * Drives the chat widget as a customer would. The widget lives in an open shadow root; Playwright's
 * CSS locators pierce open shadow roots, so plain test ids work. Each selector also accepts the
 * widget's earlier `widget-*` ids so the tests survive while the widget's markup settles.
 */
import type { Locator, Page } from 'playwright-core';

const id = (...ids: string[]) => ids.map((v) => `[data-testid="${v}"]`).join(', ');

export const widgetSelectors = {
  launcher: id('sb-launcher', 'widget-launcher'),
  panel: id('sb-panel', 'widget-panel'),
  prechat: id('sb-prechat'),
  prechatName: id('sb-prechat-name'),
  prechatEmail: id('sb-prechat-email'),
  prechatSubmit: id('sb-prechat-submit'),
  input: id('sb-input', 'widget-input'),
  send: id('sb-send', 'widget-send'),
  message: id('sb-message', 'widget-message'),
  typing: id('sb-typing'),
};

/** A message bubble of one author: customer, ai, agent or system. */
export function widgetMessages(page: Page, role?: 'customer' | 'ai' | 'agent' | 'system'): Locator {
  const all = page.locator(widgetSelectors.message);
  return role ? all.and(page.locator(`[data-role="${role}"], [data-author-role="${role}"]`)) : all;
}

/** Opens the chat panel and, when the workspace asks for them, fills in the pre-chat details. */
export async function openWidget(page: Page, details = { name: 'Casey Customer', email: 'casey@example.com' }) {
  const launcher = page.locator(widgetSelectors.launcher);
  await launcher.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await launcher.getAttribute('aria-expanded')) !== 'true') await launcher.click();
  await page.locator(widgetSelectors.panel).waitFor({ state: 'visible' });
  const prechat = page.locator(widgetSelectors.prechat);
  // The panel shows either the pre-chat form or the composer once it knows the workspace settings.
  await page.locator(`${widgetSelectors.prechat}:visible, ${widgetSelectors.input}:visible`).first().waitFor();
  if (await prechat.isVisible()) {
    await page.locator(widgetSelectors.prechatName).fill(details.name);
    await page.locator(widgetSelectors.prechatEmail).fill(details.email);
    await page.locator(widgetSelectors.prechatSubmit).click();
  }
  await page.locator(widgetSelectors.input).waitFor({ state: 'visible' });
}

/** Types a message and sends it; resolves once the widget shows it as the customer's. */
export async function sendWidgetMessage(page: Page, text: string) {
  await page.locator(widgetSelectors.input).fill(text);
  await page.locator(widgetSelectors.send).click();
  await widgetMessages(page, 'customer').filter({ hasText: text }).first().waitFor();
}
