import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../scripts/testing/harness.js';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';

let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

describe('importing contacts in a real browser', () => {
  it('uploads a CSV, maps its columns, dry-runs, imports with live progress and offers the failed rows', { timeout: 120_000 }, async () => {
    const ws = await p.signup('import-ui');
    const rows = Array.from({ length: 12_000 }, (_, i) => `Person ${i},person${i}@example.com,+3162${String(i).padStart(7, '0')},Firm ${i % 50}`);
    rows.splice(5, 0, 'Broken Row,not-an-email,,Firm 1');
    const file = join(mkdtempSync(join(tmpdir(), 'import-')), 'people.csv');
    writeFileSync(file, ['Full name,Email,Phone,Company', ...rows].join('\n'));

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('import-link').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-mapping').waitFor();
    // Columns are matched to fields by their names, and can be changed.
    expect(await page.getByTestId('map-Full name').inputValue()).toBe('name');
    expect(await page.getByTestId('map-Email').inputValue()).toBe('email');
    expect(await page.getByTestId('map-Company').inputValue()).toBe('attributes.company');

    await page.getByTestId('import-preview').click();
    const preview = page.getByTestId('import-preview-result');
    await preview.waitFor();
    expect(await preview.innerText()).toContain('Of the first 200 rows: 199 new, 0 updates, 1 with problems');
    expect(await preview.innerText()).toContain('Row 7: "not-an-email" in column Email is not an email address');

    await page.getByTestId('import-start').click();
    await page.getByTestId('import-bar').waitFor();
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-counts').innerText()).toBe('12001 of 12001 rows · 12000 created · 0 updated · 1 failed');
    expect(await page.getByTestId('import-bar').getAttribute('value')).toBe('100');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-errors').click()]);
    expect(download.suggestedFilename()).toBe('import-errors.csv');
    await p.screenshot(page, 'contact-import-done');

    await page.goto(`${p.webUrl}/contacts?q=person11999%40`);
    expect(await page.getByTestId('contact-row').allInnerTexts()).toEqual([expect.stringContaining('person11999@example.com')]);
  });

  it("opens a contact: edits it, adds a note, and reads its timeline with what the AI detected", { timeout: 120_000 }, async () => {
    const ws = await p.signup('contact-ui');
    const v = await p.harness.visitor(ws.tenant.widgetKey, { name: 'Mira' });
    await p.harness.call('POST', '/v1/widget/messages', { content: 'My order never arrived, I want my money back!', clientMessageId: crypto.randomUUID() }, v.sessionToken);
    await eventually(async () => {
      const t = await p.harness.call('GET', `/v1/contacts/${v.contactId}/timeline`, undefined, ws.accessToken);
      return t.body.entries.some((e: { authorRole: string }) => e.authorRole === 'ai');
    }, 'the AI reply');

    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await page.goto(`${p.webUrl}/contacts?q=Mira`);
    await page.getByTestId('contact-link').first().click();
    await page.getByTestId('contact-page').waitFor();
    expect(await page.getByTestId('contact-name').innerText()).toBe('Mira');
    const customer = page.locator('[data-testid="timeline"] li[data-role="customer"]');
    expect(await customer.innerText()).toContain('My order never arrived');
    expect(await customer.getByTestId('detected').innerText()).toMatch(/AI detected: .*intent/);

    // The API's refusal, beside the field.
    await page.getByTestId('edit-phone').fill('call me');
    await page.getByTestId('save-contact').click();
    await page.locator('[data-testid="contact-edit"] .field-error').first().waitFor();
    expect(await page.locator('[data-testid="contact-edit"] .field-error').first().innerText()).toMatch(/phone number/);
    await page.getByTestId('edit-phone').fill('+31 6 5555 0101');
    await page.getByTestId('edit-email').fill('mira@example.com');
    await page.getByTestId('edit-tags').fill('vip, refund');
    await page.getByTestId('save-contact').click();
    await eventually(async () => (await page.getByTestId('edit-result').innerText()) === 'Saved.', 'the saved notice');
    const saved = await p.harness.call('GET', `/v1/contacts/${v.contactId}`, undefined, ws.accessToken);
    expect(saved.body).toMatchObject({ email: 'mira@example.com', phone: '+31 6 5555 0101', tags: ['vip', 'refund'] });

    await page.getByTestId('note-content').fill('Called her: refund approved.');
    await page.getByTestId('add-note-button').click();
    await eventually(async () => (await page.locator('[data-testid="timeline"] li').first().innerText()).includes('Called her: refund approved.'), 'the note on top of the timeline');
    await p.screenshot(page, 'contact-page');
  });

  it('filters the list, saves the filters as a view, and opens it again from the saved views', { timeout: 120_000 }, async () => {
    const ws = await p.signup('views-ui');
    for (const [name, tags] of [['Vera', ['vip']], ['Victor', ['vip']], ['Nina', []]] as const) {
      await p.harness.call('POST', '/v1/contacts', { name, tags }, ws.accessToken);
    }
    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    await page.goto(`${p.webUrl}/contacts`);
    expect(await page.getByTestId('contact-row').count()).toBe(3);
    await page.getByTestId('filter-tag').fill('vip');
    await page.getByTestId('apply-filters').click();
    await page.waitForURL(/tag=vip/);
    expect((await page.getByTestId('contact-link').allInnerTexts()).sort()).toEqual(['Vera', 'Victor']);
    expect(await page.getByTestId('export-link').getAttribute('href')).toBe('/contacts/export.csv?tag=vip');
    await page.getByTestId('view-name').fill('VIPs');
    await page.getByTestId('save-view-button').click();
    await page.getByTestId('saved-view').filter({ hasText: 'VIPs' }).waitFor();

    await page.goto(`${p.webUrl}/contacts`);
    expect(await page.getByTestId('contact-row').count()).toBe(3);
    await page.getByTestId('saved-view').filter({ hasText: 'VIPs' }).click();
    await page.waitForURL(/tag=vip/);
    expect((await page.getByTestId('contact-link').allInnerTexts()).sort()).toEqual(['Vera', 'Victor']);
  });
});
