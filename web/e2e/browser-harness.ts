/**
 * Browser tests over the real stack: the API listening on real HTTP (the harness's app, served as
 * api/main.ts serves it), a worker on a task queue of its own, the web app's production build under
 * remix-serve, and Debian's chromium driven by playwright-core. Only for `*.integration.test.ts`
 * files: it needs the integration project's global setup (Temporal, PostgreSQL, FerretDB).
 */
import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { freePort } from '../../scripts/stack/process-utils.js';
import { startHarness, type HarnessOptions } from '../../scripts/testing/harness.js';
import { launchChromium } from './chromium.js';
import { startWebApp } from './web-app-server.js';

const SCREENSHOTS = fileURLToPath(new URL('../../.data/screenshots/', import.meta.url));

export interface BrowserPlatformOptions extends Pick<HarnessOptions, 'aiReplyDelayMs' | 'worker'> {
  /** Echo the web server's output (debugging). */
  echoWeb?: boolean;
}

export interface Viewport {
  width: number;
  height: number;
}

/** A laptop screen; tests of the tablet layout pass { width: 820, height: 1180 }. */
export const LAPTOP: Viewport = { width: 1366, height: 860 };

/**
 * Starts everything a browser test needs. `close()` stops it all; call it in afterAll even when
 * start-up failed halfway (it tolerates that).
 */
export async function startBrowserPlatform(opts: BrowserPlatformOptions = {}) {
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const undo: Array<() => unknown> = [];
  const close = async () => {
    for (const step of undo.splice(0).reverse()) await Promise.resolve(step()).catch(() => {});
  };

  try {
    const h = await startHarness({
      worker: opts.worker,
      aiReplyDelayMs: opts.aiReplyDelayMs,
      // The agent's browser opens the live stream on the API from the web app's origin.
      config: { PUBLIC_URL: apiUrl, CORS_ORIGINS: `${webUrl},http://localhost:${webPort}` },
    });
    undo.push(() => h.close());

    const server = serve({ fetch: h.app.fetch, port: apiPort, hostname: '127.0.0.1' });
    await new Promise<void>((r, reject) => server.once('listening', () => r()).once('error', reject));
    undo.push(
      () =>
        new Promise<void>((r) => {
          // Live streams never end by themselves: drop open connections rather than wait for them.
          server.close(() => r());
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
    );

    const [web, browser] = await Promise.all([
      startWebApp({ apiUrl, port: webPort, temporalUiUrl: 'http://127.0.0.1:8233', echo: opts.echoWeb }),
      launchChromium(),
    ]);
    undo.push(() => web.stop());
    undo.push(() => browser.close());

    /** Every uncaught page error, for tests to assert none happened. */
    const pageErrors: Array<{ url: string; message: string }> = [];

    /** A page in a fresh browser context: its own cookies and storage, like another person's browser. */
    const newPage = async (viewport: Viewport = LAPTOP): Promise<Page> => {
      const context = await browser.newContext({ viewport, baseURL: webUrl });
      const page = await context.newPage();
      page.on('pageerror', (err) => {
        // Remix's single fetch rejects a data request that a newer revalidation superseded with a
        // bare abort, uncaught; the newer request carries the data, so nothing a user sees is lost.
        // Seen only under heavy load (the whole suite on two cores). Every other error counts.
        if (err.message === 'signal is aborted without reason') return;
        pageErrors.push({ url: page.url(), message: err.message });
      });
      return page;
    };

    /** Signs in through the login form and waits for the inbox. */
    const login = async (page: Page, email: string, password: string) => {
      await page.goto(`${webUrl}/login`);
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((url) => url.pathname.startsWith('/inbox'));
    };

    /** Saves a full-page screenshot to .data/screenshots/<name>.png and returns its path. */
    const screenshot = async (page: Page, name: string) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = resolve(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    };

    /** The API's widget demo page, embedding the widget of the workspace with this key. */
    const demoPageUrl = (widgetKey: string) => `${apiUrl}/widget/demo?key=${encodeURIComponent(widgetKey)}`;

    return {
      apiUrl,
      webUrl,
      /** The underlying test harness: `call`, `db`, `sql`, `temporal`, `visitor`… */
      harness: h,
      browser,
      pageErrors,
      signup: h.signup,
      login,
      newPage,
      screenshot,
      demoPageUrl,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export type BrowserPlatform = Awaited<ReturnType<typeof startBrowserPlatform>>;
