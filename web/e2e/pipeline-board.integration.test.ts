import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { withTenant } from '../../db/client.js';
import { contacts, leadStageChanges } from '../../db/schema/index.js';
import { eventually } from '../../scripts/testing/harness.js';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';

let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

const column = (page: Page, name: string) => page.locator(`[data-testid="board-column"][data-stage-name="${name}"]`);
const card = (page: Page, leadId: string) => page.locator(`[data-testid="lead-card"][data-lead-id="${leadId}"]`);

describe('the pipeline board in a real browser', () => {
  it('drags a lead across stages, updates the totals, and puts a refused move back', { timeout: 120_000 }, async () => {
    const ws = await p.signup('board');
    const call = (method: string, path: string, body?: unknown) => p.harness.call(method, path, body, ws.accessToken);
    const made = await call('POST', '/v1/pipelines', { name: 'Sales', stages: [{ name: 'New' }, { name: 'Qualified' }, { name: 'Won', kind: 'won' }] });
    const [contact] = await withTenant(p.harness.db, ws.tenant.id, (tx) => tx.insert(contacts).values({ tenantId: ws.tenant.id, name: 'Dora' }).returning());
    const lead = async (title: string, value: number) => (await call('POST', '/v1/leads', { pipelineId: made.body.pipeline.id, contactId: contact.id, title, value })).body.lead as { id: string };
    const big = await lead('Big deal', 5000);
    const small = await lead('Small deal', 250.5);

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await page.getByTestId('nav-pipelines').click();
    await page.getByTestId('kanban').waitFor();
    expect(await column(page, 'New').getByTestId('column-total').innerText()).toBe('5250.50 EUR');

    await card(page, big.id).dragTo(column(page, 'Qualified'));
    await column(page, 'Qualified').locator(`[data-lead-id="${big.id}"]`).waitFor();
    expect(await column(page, 'New').getByTestId('column-total').innerText()).toBe('250.50 EUR');
    expect(await column(page, 'Qualified').getByTestId('column-total').innerText()).toBe('5000.00 EUR');
    const moves = await eventually(async () => {
      const rows = await p.harness.db.select().from(leadStageChanges).where(eq(leadStageChanges.leadId, big.id));
      return rows.length === 2 && rows;
    }, 'the move to be saved');
    expect(moves.find((m) => m.fromStageId !== null)).toMatchObject({ actorUserId: ws.user.id, toStageId: made.body.pipeline.stages[1].id });
    // Still there after a reload: the server has it.
    await page.reload();
    await column(page, 'Qualified').locator(`[data-lead-id="${big.id}"]`).waitFor();

    // The "Won" stage is dropped elsewhere meanwhile: the move is refused, and the card goes back to "New".
    const stages = made.body.pipeline.stages as Array<{ id: string; name: string; kind: string }>;
    expect((await call('PATCH', `/v1/pipelines/${made.body.pipeline.id}`, { stages: stages.filter((s) => s.name !== 'Won').map(({ id, name, kind }) => ({ id, name, kind })) })).status).toBe(200);
    await card(page, small.id).dragTo(column(page, 'Won'));
    await page.getByTestId('board-error').waitFor();
    expect(await page.getByTestId('board-error').innerText()).toMatch(/not saved.*stage/i);
    await column(page, 'New').locator(`[data-lead-id="${small.id}"]`).waitFor();
    expect(await column(page, 'New').getByTestId('column-total').innerText()).toBe('250.50 EUR');
    await p.screenshot(page, 'pipeline-board');
  });
});
