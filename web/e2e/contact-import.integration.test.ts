import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
