/**
 * `npm run bench:webhooks`: signed Twilio SMS webhooks posted at fixed rates (50, 100 and 200 per
 * second by default), each one checked (X-Twilio-Signature), stored (one contact per sender, one
 * message per MessageSid) and signalled to its conversation workflow. Reports the acknowledgement
 * p50/p95/p99 and the error rate per rate, and how long the signals took to land. Replies are not
 * part of an acknowledgement, so the worker is stopped while the rates run (bench:ingest measures
 * ingest beside a busy worker). Starts its own servers; the last line is one JSON object.
 *
 *   npm run bench:webhooks -- --rates 50,100,200 --seconds 10 --senders 1000
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import twilio from 'twilio';
import { sql } from 'drizzle-orm';
import { keepAlivePoster, latencySummary, openLoop, closedLoop } from './load.js';
import { withPlatform } from './stack/platform-processes.js';

const { values: opts } = parseArgs({
  options: {
    rates: { type: 'string', default: '50,100,200' },
    seconds: { type: 'string', default: '10' },
    senders: { type: 'string', default: '1000' },
  },
});
const RATES = opts.rates.split(',').map(Number);
const SECONDS = Number(opts.seconds);
const SENDERS = Number(opts.senders);

await withPlatform('bench-webhooks', { dbMax: 2 }, async ({ db, call, baseUrl, worker }) => {
  const ws = await call('POST', '/v1/auth/signup', { workspaceName: 'bench webhooks', name: 'Bench', email: `bench-webhooks-${Date.now()}@example.com`, password: 'a long password' });
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const connection = await call(
    'POST',
    '/v1/channels/connections',
    { kind: 'sms', name: 'Bench SMS', config: { accountSid, from: '+14155550100' }, secrets: { authToken } },
    ws.accessToken,
  );
  const path = `/webhooks/twilio/${connection.id}`;
  const http = keepAlivePoster(baseUrl);
  // Twilio signs the full URL it posts to plus the sorted form parameters.
  const inbound = (phase: string) => (i: number) => {
    const params = {
      AccountSid: accountSid,
      MessageSid: `SM${randomBytes(16).toString('hex')}`,
      From: `+1415556${String(i % SENDERS).padStart(4, '0')}`,
      To: '+14155550100',
      Body: `Is my order on its way? (${phase} ${i})`,
      NumMedia: '0',
    };
    const signature = twilio.getExpectedTwilioSignature(authToken, baseUrl + path, params);
    return http
      .post(path, new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature })
      .then(() => undefined);
  };

  // Connections, JIT and the first workflow starts are start-up costs, not per-request ones.
  await closedLoop(200, 8, inbound('warmup'));
  await worker.stop('SIGTERM', 30_000);

  const rates: Record<string, unknown> = {};
  for (const rate of RATES) {
    const phase = `r${rate}`;
    const n = rate * SECONDS;
    const run = await openLoop(n, rate, inbound(phase));
    // Acknowledgement comes before the signal (docs/decisions/001): wait for every signal to land.
    const like = `%(${phase} %`;
    for (let waited = 0; waited < 60_000; waited += 250) {
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from messages where content like ${like} and signaled_at is null`;
      if (row.n === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const lags = await db.db.execute<{ ms: number }>(sql`select extract(epoch from (signaled_at - created_at)) * 1000 as ms from messages where content like ${like} and signaled_at is not null`);
    rates[String(rate)] = {
      requests: n,
      achievedRate: run.achievedRate,
      ackMs: run.latencyMs,
      errorRate: Math.round((run.errors / n) * 10_000) / 10_000,
      stored: lags.length,
      signalLagMs: latencySummary(lags.map((r) => Number(r.ms))),
    };
  }
  http.close();
  const top = rates[String(Math.max(...RATES))] as { ackMs: { p99: number } };
  console.log(JSON.stringify({ bench: 'webhooks', seconds: SECONDS, senders: SENDERS, rates, goal: { ratePerSec: 200, ackP99Ms: 50 }, ackP99AtTopRateMs: top.ackMs.p99 }));
});
