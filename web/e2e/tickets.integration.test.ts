import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eventually } from '../../scripts/testing/harness.js';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';

let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

const statusIs = (page: Page, status: string) => page.locator(`[data-testid="ticket-page"][data-status="${status}"]`).waitFor();

describe('tickets in a real browser', () => {
  it('files a ticket and works it through its states, with its SLA badge and a macro', { timeout: 120_000 }, async () => {
    const ws = await p.signup('tickets-ui');
    const call = (method: string, path: string, body?: unknown) => p.harness.call(method, path, body, ws.accessToken);
    await call('PUT', '/v1/sla-policies', { policies: [{ priority: 'urgent', firstResponseMinutes: 60, resolutionMinutes: 480, businessHours: false }] });
    await call('POST', '/v1/macros', { name: 'Resolve and tag', actions: { status: 'resolved', addTags: ['handled'] } });
    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await page.getByTestId('nav-tickets').click();
    await page.getByTestId('new-ticket-subject').fill('Printer on fire');
    await page.getByTestId('new-ticket-priority').selectOption('urgent');
    await page.getByTestId('create-ticket').click();
    await statusIs(page, 'new');
    // The SLA clock runs in its workflow, which writes the due time a moment after filing; the badge shows the time left to reply.
    await eventually(async () => {
      await page.reload();
      return /reply in/i.test(await page.getByTestId('sla-badge').innerText());
    }, 'the SLA due time on the page');
    expect(await page.getByTestId('sla-badge').innerText()).toMatch(/reply in (59m|1h 0m)/i);

    await page.getByTestId('move-open').click();
    await statusIs(page, 'open');
    await page.getByTestId('move-pending').click();
    await statusIs(page, 'pending');
    expect(await page.getByTestId('sla-badge').getAttribute('data-sla')).toBe('paused');
    await page.getByTestId('move-open').click();
    await statusIs(page, 'open');
    await page.getByTestId('macro-select').selectOption({ label: 'Resolve and tag' });
    await page.getByTestId('apply-macro').click();
    await statusIs(page, 'resolved');
    expect(await page.getByTestId('ticket-page').innerText()).toMatch(/#handled/i);
    await page.getByTestId('move-closed').click();
    await statusIs(page, 'closed');
    expect(await page.getByTestId('transitions').innerText()).toContain('Closed tickets are final');
    const moves = await page.locator('[data-testid="ticket-events"] li[data-kind="status_changed"]').allInnerTexts();
    expect(moves.map((m) => m.replace(/^.*status changed /, ''))).toEqual(['new → open', 'open → pending', 'pending → open', 'open → resolved', 'resolved → closed']);
    await p.screenshot(page, 'ticket-worked');
  });

  it("charts a workspace's conversations, tickets and deals on the reports page", { timeout: 120_000 }, async () => {
    const ws = await p.signup('reports-ui');
    const call = (method: string, path: string, body?: unknown) => p.harness.call(method, path, body, ws.accessToken);
    const v = await p.harness.visitor(ws.tenant.widgetKey, { name: 'Rae' });
    await p.harness.call('POST', '/v1/widget/messages', { content: 'How long does delivery take?', clientMessageId: crypto.randomUUID() }, v.sessionToken);
    const made = await call('POST', '/v1/pipelines', { name: 'Sales', stages: [{ name: 'New' }, { name: 'Won', kind: 'won' }, { name: 'Lost', kind: 'lost' }] });
    const lead = await call('POST', '/v1/leads', { pipelineId: made.body.pipeline.id, contactId: v.contactId, title: 'Bulk order', value: 1200 });
    const won = made.body.pipeline.stages.find((s: { name: string }) => s.name === 'Won').id;
    expect((await call('POST', `/v1/leads/${lead.body.lead.id}/move`, { stageId: won })).status).toBe(200);
    await call('POST', '/v1/leads', { pipelineId: made.body.pipeline.id, contactId: v.contactId, title: 'Sample box', value: 300 });

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('reports-page').waitFor();
    expect(await page.getByTestId('ai-share').innerText()).toMatch(/resolved by the AI alone/);
    expect(await page.locator('[data-testid="chart-channels"] rect').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('chart-channels').innerText()).toContain('widget');
    expect(await page.getByTestId('chart-outcomes').innerText()).toContain('won');
    const pipeline = await page.getByTestId('chart-pipeline').innerText();
    expect(pipeline).toMatch(/New[\s\S]*300/);
    expect(pipeline).toMatch(/Won[\s\S]*1,200/);
    await page.locator('select[name="interval"]').selectOption('week');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/interval=week/);
    expect(await page.locator('[data-testid="chart-outcomes"] rect').count()).toBe(1);
    await p.screenshot(page, 'reports');
  });
});
