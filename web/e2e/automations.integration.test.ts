import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { automationRuns, leads, messages, pipelineStages, pipelines } from '../../db/schema/index.js';
import { eventually } from '../../scripts/testing/harness.js';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';

let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

const stepNode = (page: Page, id: string) => page.locator(`[data-testid="step-node"][data-node-id="${id}"]`);
const addStep = async (page: Page, type: string) => page.getByTestId(`palette-${type}`).click();
const panelFor = (page: Page, id: string) => page.locator(`[data-testid="node-panel"][data-node-id="${id}"]`);

describe('the automation builder in a real browser', () => {
  it('builds, publishes and runs "WhatsApp price question → classify → lead and template, or a tag"', { timeout: 180_000 }, async () => {
    const ws = await p.signup('builder');
    const [pipeline] = await p.harness.db.insert(pipelines).values({ tenantId: ws.tenant.id, name: 'Sales' }).returning();
    await p.harness.db.insert(pipelineStages).values({ tenantId: ws.tenant.id, pipelineId: pipeline.id, name: 'New', position: 0 });
    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await page.getByTestId('nav-automations').click();
    await page.getByTestId('new-automation-name').fill('Price enquiries');
    await page.getByTestId('create-automation').click();
    await page.getByTestId('automation-builder').waitFor();

    // The trigger: WhatsApp messages that mention the price.
    // Dragged from the palette, a step lands where it is dropped; the panel deletes it.
    await page.getByTestId('palette-logic.stop').dragTo(page.getByTestId('canvas'), { targetPosition: { x: 500, y: 500 } });
    await stepNode(page, 'stop_1').waitFor();
    await panelFor(page, 'stop_1').getByTestId('delete-node').click();
    await stepNode(page, 'stop_1').waitFor({ state: 'detached' });
    await addStep(page, 'trigger.message_received');
    await panelFor(page, 'message_received_1').getByTestId('field-channels').fill('whatsapp');
    await panelFor(page, 'message_received_1').getByTestId('field-keywords').fill('price');
    // Each step added while one is selected follows it.
    await addStep(page, 'ai.classify');
    await stepNode(page, 'classify_1').waitFor();
    await addStep(page, 'logic.if');
    const left = panelFor(page, 'if_1').getByTestId('condition-left');
    // Autocompletion offers the classifier's output, which is upstream of this step.
    await left.fill('{{nodes.cl');
    await page.getByTestId('expression-suggestion').filter({ hasText: 'nodes.classify_1.output.label' }).click();
    expect(await left.inputValue()).toBe('{{nodes.classify_1.output.label}}');
    await panelFor(page, 'if_1').getByTestId('condition-right').fill('interested');
    await addStep(page, 'action.create_lead');
    await panelFor(page, 'create_lead_1').getByTestId('field-pipelineId').fill(pipeline.id);
    await addStep(page, 'action.send_message');
    const send = panelFor(page, 'send_message_1');
    await send.getByTestId('field-text').fill('');
    await send.getByTestId('field-whatsappTemplate').fill('{"contentSid": "HXprice", "variables": {"1": "{{contact.name}}"}}');
    // Back to the if (the whole graph in view first): the tag goes on its free branch, "no".
    await page.locator('.react-flow__controls-fitview').click();
    await stepNode(page, 'if_1').click();
    await addStep(page, 'action.tag');
    await panelFor(page, 'tag_1').getByTestId('field-add').fill('not-interested');

    await eventually(async () => (await page.getByTestId('draft-validity').innerText()).includes('Ready to publish') && (await page.getByTestId('save-state').innerText()) === 'Saved', 'the draft to save as valid', 20_000);
    const automationId = new URL(page.url()).pathname.split('/').pop()!;
    const saved = await p.harness.call('GET', `/v1/automations/${automationId}`, undefined, ws.accessToken);
    expect(saved.body.automation.draft.edges.map((e: { source: string; target: string; handle?: string }) => `${e.source}-${e.handle ?? 'next'}->${e.target}`).sort()).toEqual([
      'classify_1-next->if_1', 'create_lead_1-next->send_message_1', 'if_1-no->tag_1', 'if_1-yes->create_lead_1', 'message_received_1-next->classify_1',
    ]);
    await page.getByTestId('publish-note').fill('first version');
    await page.getByTestId('publish').click();
    await page.locator('[data-testid="version"][data-active]').filter({ hasText: 'v1' }).waitFor();

    // A customer asks on WhatsApp, through the simulator.
    await page.getByTestId('simulator-link').click();
    await page.getByTestId('simulator-channel').selectOption('whatsapp');
    await page.getByTestId('simulator-from').fill(`+3162${randomInt(1_000_000, 9_999_999)}`);
    await page.getByTestId('simulator-name').fill('Priya');
    await page.getByTestId('simulator-text').fill('What is the price of the blue jacket?');
    await page.getByTestId('simulator-send').click();
    await page.waitForURL((url) => url.searchParams.has('conversation'));
    const conversationId = new URL(page.url()).searchParams.get('conversation')!;

    // The run shows in the history, and on the graph, step by step.
    await eventually(async () => (await p.harness.db.select().from(automationRuns).where(eq(automationRuns.automationId, automationId)))[0]?.status === 'succeeded', 'the run to finish', 30_000);
    await page.goto(`${p.webUrl}/automations/${automationId}`);
    await page.locator('.react-flow__controls-fitview').click();
    await page.locator('[data-testid="run-item"][data-status="succeeded"]').first().click();
    await page.locator('[data-testid="shown-run"][data-status="succeeded"]').waitFor();
    for (const id of ['message_received_1', 'classify_1', 'if_1', 'create_lead_1', 'send_message_1']) expect(await stepNode(page, id).getAttribute('data-result'), id).toBe('succeeded');
    expect(await stepNode(page, 'tag_1').getAttribute('data-result')).toBe('not-reached');
    await stepNode(page, 'classify_1').click();
    expect(await page.getByTestId('step-output').innerText()).toContain('"label": "interested"');
    await p.screenshot(page, 'automation-run-on-graph');

    // What it did: a lead for the customer, and the template sent on WhatsApp.
    const [run] = await p.harness.db.select().from(automationRuns).where(eq(automationRuns.automationId, automationId));
    expect(await p.harness.db.select().from(leads).where(eq(leads.contactId, run.contactId!))).toHaveLength(1);
    const [template] = await p.harness.db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'outbound')));
    expect(template).toMatchObject({ channel: 'whatsapp', authorRole: 'system', metadata: { whatsappTemplate: { contentSid: 'HXprice', variables: { '1': 'Priya' } } } });

    // The inbox shows where the message went and what the automation sent.
    await page.goto(`${p.webUrl}/inbox/${conversationId}`);
    await page.getByTestId('routed-to-automation').waitFor();
    expect(await page.getByTestId('automation-run-link').count()).toBeGreaterThanOrEqual(2);
    await p.screenshot(page, 'automation-in-inbox');

    // An agent sees where it went, without links to runs they may not open.
    const inv = await p.harness.call('POST', '/v1/invitations', { email: `agent-${Date.now()}@example.com`, role: 'agent' }, ws.accessToken);
    const agent = await p.harness.call('POST', '/v1/invitations/accept', { token: inv.body.token, name: 'Ada Agent', password: 'a long password' });
    const agentPage = await p.newPage();
    await p.login(agentPage, agent.body.user.email, 'a long password');
    await agentPage.goto(`${p.webUrl}/inbox/${conversationId}`);
    await agentPage.getByTestId('routed-to-automation').waitFor();
    expect(await agentPage.getByTestId('automation-run-link').count()).toBe(0);
    expect(await agentPage.getByTestId('routed-to-automation').innerText()).toMatch(/automation run/i);
  });
});
