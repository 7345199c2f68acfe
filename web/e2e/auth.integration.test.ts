import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserPlatform, type BrowserPlatform } from './browser-harness.js';

// Signing in and out, and joining a workspace from an invitation, as people do it in a browser.
let p: BrowserPlatform;
beforeAll(async () => {
  p = await startBrowserPlatform();
}, 180_000);
afterAll(async () => p?.close());

describe('auth in a real browser', () => {
  it('signs in, shows who is signed in, and signs out so the inbox needs a new sign-in', { timeout: 60_000 }, async () => {
    const ws = await p.signup('auth');
    const page = await p.newPage();
    await p.login(page, ws.email, ws.password);
    expect(await page.getByTestId('viewer-name').innerText()).toBe('auth owner');
    expect(await page.getByTestId('nav-settings').isVisible()).toBe(true);

    await page.getByTestId('logout-button').first().click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto(`${p.webUrl}/inbox`);
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/inbox');
  });

  it('a wrong password shows the error and stays on the sign-in page', { timeout: 60_000 }, async () => {
    const ws = await p.signup('auth');
    const page = await p.newPage();
    await page.goto(`${p.webUrl}/login`);
    await page.getByTestId('login-email').fill(ws.email);
    await page.getByTestId('login-password').fill('not the password at all');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect((await error.innerText()).length).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByTestId('login-email').inputValue()).toBe(ws.email);
  });

  it('an invitee opens the link, is refused a weak password, joins with the invited role, and the link is then used up', { timeout: 90_000 }, async () => {
    const ws = await p.signup('auth');
    const owner = await p.newPage();
    await p.login(owner, ws.email, ws.password);
    await owner.goto(`${p.webUrl}/settings/users`);
    const email = `invitee-${Date.now()}@example.com`;
    await owner.getByTestId('invite-email').fill(email);
    await owner.getByTestId('invite-role').selectOption('manager');
    await owner.getByTestId('invite-submit').click();
    const link = owner.getByTestId('invite-link');
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^${p.webUrl}/invite/[^/]+$`));
    await owner.reload();
    expect(await owner.getByTestId('pending-invitation').filter({ hasText: email }).count()).toBe(1);
    await p.screenshot(owner, 'settings-users-invite');

    // A different browser: the invitee's.
    const invitee = await p.newPage();
    await invitee.goto(href);
    await invitee.getByTestId('invite-name').fill('Ivy Invitee');
    await invitee.getByTestId('invite-password').fill('short');
    await invitee.getByTestId('invite-accept-submit').click();
    await invitee.getByTestId('invite-accept-error').filter({ hasText: /at least 10 characters/ }).waitFor();
    await p.screenshot(invitee, 'invite-accept-error');

    await invitee.getByTestId('invite-password').fill('a long enough password');
    await invitee.getByTestId('invite-accept-submit').click();
    await invitee.waitForURL((url) => url.pathname.startsWith('/inbox'));
    const viewer = invitee.getByTestId('viewer-name');
    expect(await viewer.innerText()).toBe('Ivy Invitee');
    expect(await viewer.getAttribute('title')).toBe(`${email} · manager`);

    // The owner sees the new member with the invited role.
    await owner.reload();
    const row = owner.locator(`[data-testid="user-row"][data-email="${email}"]`);
    expect(await row.getByTestId('user-role').inputValue()).toBe('manager');
    expect(await owner.getByTestId('pending-invitation').filter({ hasText: email }).count()).toBe(0);

    // The same link a second time, from yet another browser.
    const again = await p.newPage();
    await again.goto(href);
    await again.getByTestId('invite-name').fill('Someone Else');
    await again.getByTestId('invite-password').fill('another long password');
    await again.getByTestId('invite-accept-submit').click();
    await again.getByTestId('invite-accept-error').filter({ hasText: /expired or was already used/ }).waitFor();
    expect(new URL(again.url()).pathname).toMatch(/^\/invite\//);
    expect(p.pageErrors).toEqual([]);
  });
});
