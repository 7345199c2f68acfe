import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';

/**
 * Runs in the page: stamps the first time each `ack-bench-…` marker appears inside the open
 * conversation (not the list preview), at the DOM mutation, before the paint that follows it. A
 * probe EventSource of its own stamps when the message's live event reaches the browser, to split
 * the time into "API to browser" and "browser to DOM". A string, not a function: tsx would wrap
 * inner functions in a `__name` helper the page lacks.
 */
const observerScript = (eventsUrl: string) => `(() => {
  const pattern = /ack-bench-\\d+-[0-9a-f]{6}/g;
  const clock = () => performance.timeOrigin + performance.now();
  window.__seen = {};
  window.__event = {};
  const stamp = (node, at) => {
    const el = node instanceof Element ? node : node && node.parentElement;
    // The open conversation when the page marks it, else anywhere (a reworked view may rename it).
    const scope = document.querySelector('[data-testid="conversation"]');
    if (!el || (scope && !el.closest('[data-testid="conversation"]'))) return;
    for (const m of (node.textContent || '').match(pattern) || []) window.__seen[m] ??= at;
  };
  new MutationObserver((records) => {
    const at = clock();
    for (const r of records) {
      if (r.type === 'characterData') stamp(r.target, at);
      r.addedNodes.forEach((n) => stamp(n, at));
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  const probe = new EventSource(${JSON.stringify(eventsUrl)});
  probe.addEventListener('message', (e) => {
    const at = clock();
    for (const m of e.data.match(pattern) || []) window.__event[m] ??= at;
  });
  return new Promise((resolve) => probe.addEventListener('ready', () => resolve(true)));
})()`;

export interface AckRun {
  /** ms from the API's acknowledgement to the text in the open conversation's DOM. */
  ackToScreen: number[];
  /** …split: ack to the live event reaching the browser, and from there to the DOM. */
  ackToEvent: number[];
  eventToDom: number[];
  /**
   * How long each reload of the page's data took. The customer's words show from the live event;
   * the reload that follows brings what only the loaders know (triage, delivery ticks).
   */
  revalidation: number[];
  /** Which loaders the revalidations ran (single fetch: `_routes`, or every loader when absent), by count. */
  revalidationUrls: Record<string, number>;
}

/**
 * Posts `messages` customer messages one at a time (after `warmup` unmeasured ones) and times each
 * from the API's ack to its text showing in the agent's open conversation. Both clocks are the
 * system clock (`performance.timeOrigin + performance.now()`), on one machine.
 */
export async function measureAckToScreen(opts: {
  browser: Browser;
  webUrl: string;
  sessionCookie: { name: string; value: string };
  conversationId: string;
  /** The API's live stream with an access token, for the probe. */
  eventsUrl: string;
  /** Posts one inbound message; resolves with the wall-clock time the API's ack arrived. */
  post: (content: string) => Promise<number>;
  messages: number;
  warmup?: number;
}): Promise<AckRun> {
  const context = await opts.browser.newContext({ viewport: { width: 1366, height: 860 } });
  await context.addCookies([{ ...opts.sessionCookie, url: opts.webUrl }]);
  const page = await context.newPage();
  await page.goto(`${opts.webUrl}/inbox/${opts.conversationId}`);
  await page.locator('[data-testid="live-status"][data-state="live"]').first().waitFor({ timeout: 20_000 });
  // Revalidations are single-fetch `.data` requests: their timing splits "event to DOM".
  const dataRequests: Array<{ start: number; end: number; url: string }> = [];
  page.on('requestfinished', (req) => {
    const url = new URL(req.url());
    if (!url.pathname.endsWith('.data')) return;
    const t = req.timing();
    dataRequests.push({ start: t.startTime, end: t.startTime + t.responseEnd, url: url.pathname + url.search });
  });
  await page.evaluate(observerScript(opts.eventsUrl));

  const run: AckRun = { ackToScreen: [], ackToEvent: [], eventToDom: [], revalidation: [], revalidationUrls: {} };
  const warmup = opts.warmup ?? 3;
  for (let i = 0; i < opts.messages + warmup; i++) {
    const marker = `ack-bench-${i}-${randomUUID().slice(0, 6)}`;
    const ackAt = await opts.post(`Order question ${marker}`);
    const seenAt = (await page
      .waitForFunction((m) => (window as unknown as { __seen: Record<string, number> }).__seen[m], marker, { timeout: 10_000, polling: 50 })
      .then((h) => h.jsonValue())) as number;
    const eventAt = (await page.evaluate((m) => (window as unknown as { __event: Record<string, number> }).__event[m], marker)) as number | undefined;
    if (i >= warmup) {
      run.ackToScreen.push(seenAt - ackAt);
      if (eventAt !== undefined) {
        run.ackToEvent.push(eventAt - ackAt);
        run.eventToDom.push(seenAt - eventAt);
      }
    }
    // Let follow-up events (delivery status, list updates) settle so each message starts from quiet.
    await new Promise((r) => setTimeout(r, 250));
  }
  await context.close();
  for (const r of dataRequests) {
    run.revalidation.push(r.end - r.start);
    const key = r.url.replace(opts.conversationId, ':id');
    run.revalidationUrls[key] = (run.revalidationUrls[key] ?? 0) + 1;
  }
  return run;
}
