import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../scripts/testing/harness.js';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';

// The settings an owner goes through when setting up a workspace, each checked against the API.
let p: BrowserPlatform;
let ws: Awaited<ReturnType<BrowserPlatform['signup']>>;
let page: Page;
beforeAll(async () => {
  p = await startBrowserPlatform();
  ws = await p.signup('settings');
  page = await p.newPage();
  await p.login(page, ws.email, ws.password);
}, 180_000);
afterAll(async () => p?.close());

const api = (method: string, path: string, body?: unknown) => p.harness.call(method, path, body, ws.accessToken);

describe('settings in a real browser', () => {
  it('the settings link opens users and teams; a team is created, given a member, and another renamed and deleted', { timeout: 60_000 }, async () => {
    await page.getByTestId('nav-settings').click();
    await page.waitForURL((url) => url.pathname === '/settings/users');
    await page.getByTestId('team-name').fill('Billing');
    await page.getByTestId('team-description').fill('Refunds and invoices');
    await page.getByTestId('team-create').click();
    const card = page.locator('[data-testid="team-card"][data-team="Billing"]');
    await card.waitFor();

    await card.locator(`[data-testid="team-member-checkbox"][data-email="${ws.email}"]`).check();
    await card.getByTestId('team-members-save').click();
    await card.getByTestId('team-member-count').filter({ hasText: '1 member' }).waitFor();
    const teams = (await api('GET', '/v1/teams')).body.teams as Array<{ name: string; description: string; members: Array<{ email: string }> }>;
    expect(teams).toEqual([expect.objectContaining({ name: 'Billing', description: 'Refunds and invoices', members: [expect.objectContaining({ email: ws.email })] })]);

    // A second team with the same name is refused, and the refusal is shown by the form.
    await page.getByTestId('team-name').fill('Billing');
    await page.getByTestId('team-create').click();
    await page.getByTestId('team-create-error').waitFor();
    expect((await api('GET', '/v1/teams')).body.teams).toHaveLength(1);
    await p.screenshot(page, 'settings-users');

    // Another team, renamed, then deleted.
    await page.getByTestId('team-name').fill('Temp');
    await page.getByTestId('team-create').click();
    const temp = page.locator('[data-testid="team-card"][data-team="Temp"]');
    await temp.locator('summary').click();
    await temp.getByTestId('team-edit-name').fill('Returns');
    await temp.getByTestId('team-save').click();
    const returns = page.locator('[data-testid="team-card"][data-team="Returns"]');
    await returns.waitFor();
    expect(((await api('GET', '/v1/teams')).body.teams as Array<{ name: string }>).map((t) => t.name)).toEqual(['Billing', 'Returns']);
    page.once('dialog', (dialog) => void dialog.accept());
    await returns.getByTestId('team-delete').click();
    await returns.waitFor({ state: 'detached' });
    expect(((await api('GET', '/v1/teams')).body.teams as Array<{ name: string }>).map((t) => t.name)).toEqual(['Billing']);
  });

  it('adds a canned response, and shows the field error for a bad shortcut', { timeout: 60_000 }, async () => {
    await page.getByTestId('settings-nav-canned-responses').click();
    await page.waitForURL((url) => url.pathname === '/settings/canned-responses');
    await page.getByTestId('canned-shortcut').fill('has space');
    await page.getByTestId('canned-content').fill('Nope');
    await page.getByTestId('canned-save').click();
    await page.getByTestId('canned-shortcut-error').waitFor();

    await page.getByTestId('canned-shortcut').fill('/refund');
    await page.getByTestId('canned-content').fill('Your refund is on its way and arrives in 3–5 working days.');
    await page.getByTestId('canned-save').click();
    await page.locator('[data-testid="canned-row"][data-shortcut="refund"]').waitFor();
    expect(await page.getByTestId('canned-shortcut').inputValue()).toBe('');
    const list = (await api('GET', '/v1/canned-responses')).body.cannedResponses as Array<{ shortcut: string; content: string }>;
    expect(list).toEqual([expect.objectContaining({ shortcut: 'refund', content: 'Your refund is on its way and arrives in 3–5 working days.' })]);
    await p.screenshot(page, 'settings-canned');
  });

  it('changes the widget colour and greeting, which stay after a reload, with the snippet to copy', { timeout: 60_000 }, async () => {
    await page.getByTestId('settings-nav-widget').click();
    await page.waitForURL((url) => url.pathname === '/settings/widget');
    await page.getByTestId('widget-color').fill('#e8590c');
    await page.getByTestId('widget-greeting').fill('Hello from the test!');
    await page.getByTestId('widget-save').click();
    await page.getByTestId('widget-status').filter({ hasText: 'Widget saved' }).waitFor();

    await page.reload();
    expect(await page.getByTestId('widget-color').inputValue()).toBe('#e8590c');
    expect(await page.getByTestId('widget-greeting').inputValue()).toBe('Hello from the test!');
    const snippet = await page.getByTestId('widget-snippet').innerText();
    expect(snippet).toContain(`data-key="${ws.tenant.widgetKey}"`);
    expect(snippet).toContain(`${p.apiUrl}/widget.js`);
    expect(await page.getByTestId('widget-demo-link').getAttribute('href')).toBe(p.demoPageUrl(ws.tenant.widgetKey));
    expect((await api('GET', '/v1/workspace/widget')).body).toMatchObject({ color: '#e8590c', greeting: 'Hello from the test!' });

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('widget-copy').click();
    await page.getByTestId('widget-copy').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet.trim());
    await p.screenshot(page, 'settings-widget');
  });

  it('sets the time zone, business hours, auto-close periods and the survey, with the API\'s field error for a zone it does not know', { timeout: 60_000 }, async () => {
    await page.getByTestId('settings-nav-workspace').click();
    await page.waitForURL((url) => url.pathname === '/settings/workspace');
    // The API's defaults, shown as such.
    expect(await page.getByTestId('workspace-timezone').inputValue()).toBe('UTC');
    expect(await page.getByTestId('workspace-open').inputValue()).toBe('09:00');
    expect(await page.getByTestId('workspace-day-1').isChecked()).toBe(true);
    expect(await page.getByTestId('workspace-day-6').isChecked()).toBe(false);

    await page.getByTestId('workspace-timezone').fill('Mars/Olympus');
    await page.getByTestId('workspace-save').click();
    await page.getByTestId('workspace-timezone-error').filter({ hasText: 'IANA' }).waitFor();
    expect((await api('GET', '/v1/workspace')).body.timezone).toBe('UTC');

    await page.getByTestId('workspace-timezone').fill('Europe/Amsterdam');
    await page.getByTestId('workspace-day-6').check();
    await page.getByTestId('workspace-open').fill('08:30');
    await page.getByTestId('workspace-close').fill('18:00');
    await page.getByTestId('workspace-idle').fill('120');
    await page.getByTestId('workspace-ticket-days').fill('3');
    await page.getByTestId('workspace-csat').check();
    await page.getByTestId('workspace-save').click();
    await page.getByTestId('workspace-status').filter({ hasText: 'Workspace saved' }).waitFor();
    expect((await api('GET', '/v1/workspace')).body).toMatchObject({
      timezone: 'Europe/Amsterdam',
      businessHours: { days: [1, 2, 3, 4, 5, 6], openMinute: 510, closeMinute: 1080 },
      idleAutoCloseMinutes: 120,
      ticketAutoCloseDays: 3,
      csatEnabled: true,
    });

    // Closing before opening is the API's to refuse, beside the field.
    await page.getByTestId('workspace-close').fill('07:00');
    await page.getByTestId('workspace-save').click();
    await page.getByTestId('workspace-close-error').waitFor();

    await page.reload();
    expect(await page.getByTestId('workspace-timezone').inputValue()).toBe('Europe/Amsterdam');
    expect(await page.getByTestId('workspace-close').inputValue()).toBe('18:00');
    expect(await page.getByTestId('workspace-csat').isChecked()).toBe(true);
    await p.screenshot(page, 'settings-workspace');
  });

  it('shows a channel field error, then connects, tests, disconnects and reconnects a sandbox channel', { timeout: 60_000 }, async () => {
    await page.getByTestId('settings-nav-channels').click();
    await page.waitForURL((url) => url.pathname === '/settings/channels');

    // The API's field error lands beside the field it names.
    await page.getByTestId('channel-kind').selectOption('sms');
    await page.getByTestId('channel-name').fill('Broken SMS');
    await page.getByTestId('channel-field-config.accountSid').fill('not-a-sid');
    await page.getByTestId('channel-field-config.from').fill('+14155550100');
    await page.getByTestId('channel-connect').click();
    await page.getByTestId('error-config.accountSid').filter({ hasText: 'Account SID' }).waitFor();

    await page.getByTestId('channel-kind').selectOption('telegram');
    await page.getByTestId('channel-name').fill('Telegram sandbox');
    await page.getByTestId('channel-connect').click();
    const card = page.locator('[data-testid="channel-card"][data-name="Telegram sandbox"]');
    await card.waitFor();
    const [connection] = (await api('GET', '/v1/channels/connections')).body.connections as Array<{ id: string; sandbox: boolean; webhookUrl: string }>;
    expect(connection).toMatchObject({ sandbox: true });
    expect(await card.getByTestId('channel-webhook-url').innerText()).toBe(connection!.webhookUrl);

    await card.getByTestId('channel-test').click();
    await card.getByTestId('channel-test-result').filter({ hasText: 'Sandbox' }).waitFor();
    await card.getByTestId('channel-disconnect').click();
    await page.locator('[data-testid="channel-card"][data-name="Telegram sandbox"][data-status="disconnected"]').waitFor();
    const after = (await api('GET', '/v1/channels/connections')).body.connections as Array<{ status: string; lastTest: { ok: boolean } }>;
    expect(after).toEqual([expect.objectContaining({ status: 'disconnected', lastTest: expect.objectContaining({ ok: true }) })]);
    await p.screenshot(page, 'settings-channels');
    await card.getByTestId('channel-reconnect').click();
    await page.locator('[data-testid="channel-card"][data-name="Telegram sandbox"][data-status="active"]').waitFor();
    expect((await api('GET', '/v1/channels/connections')).body.connections[0].status).toBe('active');
  });

  it('uploads a knowledge document with a progress bar and shows it ready', { timeout: 60_000 }, async () => {
    await page.getByTestId('settings-nav-knowledge').click();
    await page.waitForURL((url) => url.pathname === '/settings/knowledge');
    const body = `# Returns\n\n${'You can return unworn shoes within 30 days for a full refund. '.repeat(40)}`;
    await page.getByTestId('kb-file').setInputFiles({ name: 'returns-policy.md', mimeType: 'text/markdown', buffer: Buffer.from(body) });
    await page.getByTestId('kb-upload').click();
    await page.getByTestId('kb-progress-label').filter({ hasText: 'Uploaded' }).waitFor();
    expect(await page.getByTestId('kb-progress').getAttribute('value')).toBe('100');
    await page.locator('[data-testid="kb-document"][data-title="returns-policy"][data-status="ready"]').waitFor({ timeout: 30_000 });
    const docs = (await api('GET', '/v1/knowledge/documents')).body.documents as Array<{ title: string; status: string; chunkCount: number }>;
    expect(docs).toEqual([expect.objectContaining({ title: 'returns-policy', status: 'ready' })]);
    expect(docs[0]!.chunkCount).toBeGreaterThan(0);
    await p.screenshot(page, 'settings-knowledge');
  });

  it('a document too large to index within the request is followed, with no reload, until it is ready', { timeout: 90_000 }, async () => {
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const paragraphs = Array.from({ length: 300 }, (_, i) => `## Section ${i}\n\nStore ${i} opens at ${8 + (i % 4)} am and stocks boot model ${i * 7} in sizes ${36 + (i % 10)} to ${40 + (i % 8)}.`);
    await page.getByTestId('kb-file').setInputFiles({ name: 'store-guide.md', mimeType: 'text/markdown', buffer: Buffer.from(paragraphs.join('\n\n')) });
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/settings/knowledge/upload'));
    await page.getByTestId('kb-upload').click();
    // The upload answers while a workflow still indexes: what the page shows later it learnt by itself.
    const outcome = (await (await uploaded).json()) as { ok: boolean; value: { status: string; chunksTotal: number } };
    expect(outcome).toMatchObject({ ok: true, value: { status: 'indexing' } });
    expect(outcome.value.chunksTotal).toBeGreaterThan(50);
    await page.locator('[data-testid="kb-document"][data-title="store-guide"][data-status="ready"]').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('saves the agent guidance as a new active version', { timeout: 60_000 }, async () => {
    await page.getByTestId('settings-nav-agent').click();
    await page.waitForURL((url) => url.pathname === '/settings/agent');
    const before = Number((await page.getByTestId('agent-active-version').innerText()).slice(1));
    await page.getByTestId('agent-tone').selectOption('formal');
    await page.getByTestId('agent-rule-add').click();
    await page.getByTestId('agent-rule').last().fill('Never promise a delivery date.');
    await page.getByTestId('agent-guidance-save').click();
    await page.getByTestId('agent-guidance-status').filter({ hasText: 'activated' }).waitFor();
    await page.getByTestId('agent-active-version').filter({ hasText: `v${before + 1}` }).waitFor();
    const active = (await api('GET', '/v1/agent')).body;
    expect(active.activeVersion).toBe(before + 1);
    expect(active.config.guidance).toEqual({ tone: 'formal', rules: ['Never promise a delivery date.'] });
    await p.screenshot(page, 'settings-agent');
  });

  it('edits guardrails, escalation rules and tool policy, with the API\'s field error beside the row', { timeout: 60_000 }, async () => {
    await page.goto(`${p.webUrl}/settings/agent`);
    await page.getByTestId('guardrail-add').click();
    const guardrail = page.getByTestId('guardrail-row').first();
    await guardrail.getByTestId('guardrail-kind').selectOption('regex');
    await guardrail.getByTestId('guardrail-pattern').fill('(unclosed');
    await page.getByTestId('agent-guardrails-save').click();
    await guardrail.getByRole('alert').filter({ hasText: 'regular expression' }).waitFor();

    await guardrail.getByTestId('guardrail-pattern').fill('\\b\\d{16}\\b');
    await guardrail.getByTestId('guardrail-action').selectOption('redact');
    await page.getByTestId('agent-guardrails-save').click();
    await page.getByTestId('agent-guardrails-status').filter({ hasText: 'activated' }).waitFor();

    await page.getByTestId('escalation-add').click();
    await page.getByTestId('escalation-row').first().getByTestId('escalation-team').fill('Billing');
    await page.getByTestId('agent-escalation-save').click();
    await page.getByTestId('agent-escalation-status').filter({ hasText: 'activated' }).waitFor();
    await page.getByTestId('guardrail-row').first().scrollIntoViewIfNeeded();
    await p.screenshot(page, 'settings-agent-rules');

    await page.getByTestId('agent-tool-enabled-lookup_order').check();
    await page.getByTestId('agent-tools-save').click();
    await page.getByTestId('agent-tools-status').filter({ hasText: 'activated' }).waitFor();

    const { config } = (await api('GET', '/v1/agent')).body;
    // Each section saved over the last: the guidance of the earlier test is still there.
    expect(config.guidance.tone).toBe('formal');
    expect(config.guardrails).toEqual([{ id: 'guardrail-1', stage: 'input', kind: 'regex', pattern: '\\b\\d{16}\\b', action: 'redact' }]);
    expect(config.escalation).toEqual([
      expect.objectContaining({ id: 'rule-1', all: [{ attribute: 'urgency', op: 'eq', value: 'high' }], any: [], team: 'Billing', priority: 'high' }),
    ]);
    expect(config.tools.enabled).toEqual(['lookup_order', 'handoff']);

    // Rolling back to the first saved version shows its (empty) guardrails again.
    await page.locator('[data-testid="agent-version"][data-version="1"]').getByTestId('agent-version-activate').click();
    await page.getByTestId('agent-active-version').filter({ hasText: 'v1' }).waitFor();
    expect(await page.getByTestId('guardrail-row').count()).toBe(0);
    expect((await api('GET', '/v1/agent')).body.activeVersion).toBe(1);
  });

  it('adds a model provider whose key is only ever shown masked, and removes it', { timeout: 60_000 }, async () => {
    await page.getByTestId('provider-kind').selectOption('compatible');
    await page.getByTestId('provider-key').fill('sk-test-0123456789wxyz');
    await page.getByTestId('provider-base-url').fill('https://llm.example.com/v1');
    await page.getByTestId('provider-model').fill('tiny-model');
    await page.getByTestId('provider-add').click();
    const row = page.getByTestId('provider-row');
    await row.waitFor();
    expect(await row.getByTestId('provider-key-hint').innerText()).toBe('key ••••wxyz');
    expect(await page.content()).not.toContain('sk-test-0123456789wxyz');
    const [provider] = (await api('GET', '/v1/agent/providers')).body.providers;
    expect(provider).toMatchObject({ kind: 'openai', baseUrl: 'https://llm.example.com/v1', model: 'tiny-model', apiKeyHint: '…wxyz' });

    await row.getByTestId('provider-remove').click();
    await row.waitFor({ state: 'detached' });
    expect((await api('GET', '/v1/agent/providers')).body.providers).toEqual([]);
  });

  it('a manager sees what their role may not change as read-only; an owner changes their role and removes them', { timeout: 90_000 }, async () => {
    const invite = await api('POST', '/v1/invitations', { email: `manager-${Date.now()}@example.com`, role: 'manager' });
    expect(invite.status).toBe(201);
    const joined = await p.harness.call('POST', '/v1/invitations/accept', { token: invite.body.token, name: 'Mia Manager', password: 'manager password 1' });
    expect(joined.status).toBe(201);

    // A tablet: the settings nav folds above the page.
    const manager = await p.newPage({ width: 820, height: 1180 });
    await p.login(manager, invite.body.email, 'manager password 1');
    await manager.goto(`${p.webUrl}/settings/channels`);
    await manager.getByTestId('read-only-note').waitFor();
    expect(await manager.getByTestId('channel-connect').count()).toBe(0);
    expect(await manager.getByTestId('channel-test').count()).toBe(0);
    await manager.goto(`${p.webUrl}/settings/agent`);
    await manager.getByTestId('read-only-note').waitFor();
    expect(await manager.getByTestId('agent-guidance-save').count()).toBe(0);
    await manager.goto(`${p.webUrl}/settings/workspace`);
    await manager.getByTestId('read-only-note').waitFor();
    expect(await manager.getByTestId('workspace-save').count()).toBe(0);
    expect(await manager.getByTestId('workspace-timezone').isDisabled()).toBe(true);
    // Canned responses and the knowledge base are a manager's to keep.
    await manager.goto(`${p.webUrl}/settings/canned-responses`);
    expect(await manager.getByTestId('canned-save').count()).toBe(1);
    await manager.goto(`${p.webUrl}/settings/users`);
    expect(await manager.getByTestId('invite-submit').count()).toBe(0);
    expect(await manager.getByTestId('user-remove').count()).toBe(0);
    const overflow = await manager.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await p.screenshot(manager, 'settings-users-tablet');

    await page.goto(`${p.webUrl}/settings/users`);
    const row = page.locator(`[data-testid="user-row"][data-email="${invite.body.email}"]`);
    await row.getByTestId('user-role').selectOption('agent');
    await eventually(async () => (await api('GET', '/v1/users')).body.users.find((u: { email: string; role: string }) => u.email === invite.body.email)?.role === 'agent', 'the role change');
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByTestId('user-remove').click();
    await row.waitFor({ state: 'detached' });
    const emails = ((await api('GET', '/v1/users')).body.users as Array<{ email: string }>).map((u) => u.email);
    expect(emails).toEqual([ws.email]);
    expect(p.pageErrors).toEqual([]);
  });
});
