/**
 * `npm run bench:web`: the agent workspace with 10,000 seeded conversations in one workspace.
 *  - inbox render: server time of GET /inbox (the HTML a signed-in agent gets: shell and list
 *    loaders, API calls, React render), sequential requests, p50/p95;
 *  - ack-to-screen: chromium shows the inbox with a conversation open; a customer message is posted
 *    to the widget API; from the API's acknowledgement to the text appearing in the open
 *    conversation's DOM (a MutationObserver stamps `performance.timeOrigin + performance.now()`;
 *    one machine, so both clocks are the system clock), p50/p95.
 * Starts its own servers and the web app's production build; the last line is one JSON object.
 *
 *   npm run bench:web -- --conversations 10000 --renders 200 --messages 50
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { launchChromium } from '../web/e2e/chromium.js';
import { startWebApp } from '../web/e2e/web-app-server.js';
import { measureAckToScreen } from './bench-web-ack.js';
import { seedInbox } from './bench-web-seed.js';
import { signIn } from './stack/web-sign-in.js';
import { freePort } from './stack/process-utils.js';
import { withPlatform } from './stack/platform-processes.js';
import { percentile } from './stats.js';

const { values: opts } = parseArgs({
  options: {
    conversations: { type: 'string', default: '10000' },
    renders: { type: 'string', default: '200' },
    messages: { type: 'string', default: '50' },
  },
});
const CONVERSATIONS = Number(opts.conversations);
const RENDERS = Number(opts.renders);
const MESSAGES = Number(opts.messages);
const GOAL = { inboxRenderP95Ms: 200, ackToScreenP95Ms: 300 };

const round = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10) / 10);
const summary = (xs: number[]) => ({ n: xs.length, p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)), max: round(percentile(xs, 100)) });
const now = () => performance.timeOrigin + performance.now();
const log = (msg: string) => console.error(`[bench-web] ${msg}`);

// The agent's browser opens the API's live stream from the web app's origin: the API must allow it.
const webPort = await freePort();
const webOrigin = `http://127.0.0.1:${webPort}`;
process.env.CORS_ORIGINS = webOrigin;

await withPlatform('bench-web', { dbMax: 4 }, async ({ db, call, baseUrl }) => {
  const password = 'a long password';
  const email = `bench-web-${randomUUID().slice(0, 8)}@example.com`;
  const ws = await call('POST', '/v1/auth/signup', { workspaceName: 'Bench web', name: 'Bench Agent', email, password });
  const seedStarted = performance.now();
  await seedInbox(db.sql, { tenantId: ws.tenant.id, userId: ws.user.id, conversations: CONVERSATIONS });
  log(`seeded ${CONVERSATIONS} conversations in ${Math.round(performance.now() - seedStarted)} ms`);

  const web = await startWebApp({ apiUrl: baseUrl, port: webPort });
  log(`web app ${web.build.built ? 'built' : 'build reused'} in ${Math.round(web.build.ms)} ms`);
  try {
    const cookie = await signIn(web.url, email, password);

    // (a) Inbox render, after a warm-up (JIT, connection pools, the first query plans).
    const render = async () => {
      const t0 = performance.now();
      const res = await fetch(`${web.url}/inbox`, { headers: { cookie }, redirect: 'manual' });
      const html = await res.text();
      if (res.status !== 200 || !html.includes('conversation-row')) throw new Error(`GET /inbox → ${res.status}: ${html.slice(0, 300)}`);
      return performance.now() - t0;
    };
    for (let i = 0; i < 20; i++) await render();
    const renders: number[] = [];
    for (let i = 0; i < RENDERS; i++) renders.push(await render());
    log(`inbox render ${JSON.stringify(summary(renders))}`);

    // (b) Ack-to-screen: a live widget conversation (with its workflow), taken over so the AI's
    // replies do not interleave, open in the agent's browser.
    const visitor = await call('POST', '/v1/widget/sessions', { widgetKey: ws.tenant.widgetKey, name: 'Bench Customer' });
    const post = (content: string) =>
      fetch(`${baseUrl}/v1/widget/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${visitor.sessionToken}` },
        body: JSON.stringify({ content, clientMessageId: randomUUID() }),
      }).then(async (res) => {
        const at = now();
        if (res.status >= 300) throw new Error(`POST /v1/widget/messages → ${res.status} ${await res.text()}`);
        return { at, body: (await res.json()) as { conversationId: string } };
      });
    const { body: first } = await post('Hello, I have a few questions.');
    await call('POST', `/v1/conversations/${first.conversationId}/take-over`, {}, ws.accessToken);

    const probeToken = (await call('POST', '/v1/auth/login', { email, password })).accessToken as string;
    const browser = await launchChromium();
    try {
      const run = await measureAckToScreen({
        browser,
        webUrl: web.url,
        sessionCookie: { name: cookie.slice(0, cookie.indexOf('=')), value: cookie.slice(cookie.indexOf('=') + 1) },
        conversationId: first.conversationId,
        eventsUrl: `${baseUrl}/v1/events?access_token=${encodeURIComponent(probeToken)}`,
        post: async (content) => (await post(content)).at,
        messages: MESSAGES,
      });
      log(`ack-to-screen ${JSON.stringify(summary(run.ackToScreen))}`);
      const result = {
        bench: 'web',
        conversations: CONVERSATIONS,
        inboxRenderMs: summary(renders),
        ackToScreenMs: summary(run.ackToScreen),
        ackToScreenParts: {
          ackToBrowserEventMs: summary(run.ackToEvent),
          browserEventToDomMs: summary(run.eventToDom),
          revalidationRequestMs: summary(run.revalidation),
          revalidationUrls: run.revalidationUrls,
        },
        goal: GOAL,
        met: {
          inboxRender: (percentile(renders, 95) ?? Infinity) < GOAL.inboxRenderP95Ms,
          ackToScreen: (percentile(run.ackToScreen, 95) ?? Infinity) < GOAL.ackToScreenP95Ms,
        },
      };
      console.log(JSON.stringify(result));
    } finally {
      await browser.close();
    }
  } finally {
    await web.stop();
  }
});
