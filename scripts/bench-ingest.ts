/**
 * `npm run bench:ingest`: inbound acknowledgement latency and throughput through the real API
 * (widget messages: store, dedupe, signalWithStart), against a bare signalWithStart loop on the same
 * Temporal server in the same run. Starts its own embedded servers; the last line is one JSON object.
 *
 *   npm run bench:ingest -- --messages 1000 --conversations 100 --rate 100 --concurrency 32
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { connectDb } from '../db/client.js';
import { messages } from '../db/schema/index.js';
import { seedDemo } from '../db/seed-demo.js';
import { connectTemporalClient } from '../temporal/client.js';
import { conversationWorkflow, inbound } from '../workflows/conversation.workflow.js';
import { conversationStartOptions } from '../temporal/conversation-start.js';
import { startEmbeddedStack } from './stack/embedded-stack.js';
import { startApiAndWorker } from './stack/platform-processes.js';
import { startTsProcess } from './stack/process-utils.js';
import { closedLoop, keepAlivePoster, latencySummary, openLoop } from './load.js';

const { values: opts } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    conversations: { type: 'string', default: '100' },
    rate: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '32' },
  },
});
const N = Number(opts.messages);
const M = Number(opts.conversations);
const RATE = Number(opts.rate);
const CONCURRENCY = Number(opts.concurrency);

const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
const stack = await startEmbeddedStack({ dataDir: dir, persistent: false, env: {} });
const db = connectDb(stack.databaseUrl, { max: 2 });
const procs: Array<ReturnType<typeof startTsProcess>> = [];
try {
  const demo = await seedDemo(db.db);
  const { api, worker, env, baseUrl: base } = await startApiAndWorker(stack);
  procs.push(api, worker);
  const http = keepAlivePoster(base);
  const post = async (path: string, body: unknown, token?: string) =>
    JSON.parse(await http.post(path, JSON.stringify(body), { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }));

  const sessions: string[] = [];
  for (let i = 0; i < M; i++) sessions.push((await post('/v1/widget/sessions', { widgetKey: demo.widgetKey })).sessionToken);
  const sender = (phase: string) => (i: number) =>
    post('/v1/widget/messages', { content: `Do you have the Alpine jacket in size M? (${phase} ${i})`, clientMessageId: randomUUID() }, sessions[i % M]).then(() => undefined);

  const temporal = await connectTemporalClient(stack.temporalAddress);
  const runId = randomUUID().slice(0, 8);
  // The baseline signals workflows on a queue no worker polls: the bare cost of signalWithStart.
  const bare = (i: number) =>
    temporal.workflow
      .signalWithStart(conversationWorkflow, {
        // What the API sends, on a workflow id and a queue of the baseline's own.
        ...conversationStartOptions(`bench-baseline-${runId}`, { tenantId: 'bench', conversationId: String(i % M) }),
        workflowId: `bench-baseline:${runId}:${i % M}`,
        signal: inbound,
        signalArgs: [{ messageId: randomUUID() }],
      })
      .then(() => undefined);

  // Warm both paths (connections, JIT, first workflow starts).
  await closedLoop(Math.min(100, N), 8, sender('warmup'));
  await closedLoop(Math.min(100, N), 8, bare);

  // Ingest alone, worker stopped: the API's path against bare signalWithStart on equal terms.
  await worker.stop('SIGTERM', 30_000);
  const apiAtRate = await openLoop(N, RATE, sender('rate'));
  const bareAtRate = await openLoop(N, RATE, bare);
  const apiMax = await closedLoop(N, CONCURRENCY, sender('max'));
  const bareMax = await closedLoop(N, CONCURRENCY, bare);

  // The whole platform: the worker replies to everything while new messages keep arriving.
  procs.push(startTsProcess('worker', 'temporal/worker-main.ts', { env, background: true }));
  const apiWhileProcessing = await openLoop(N, RATE, sender('busy'));

  // Every acknowledged message must also be processed: wait for the worker to drain.
  const expected = Math.min(100, N) + 3 * N;
  const drainStart = performance.now();
  let handled = 0;
  while (performance.now() - drainStart < 180_000) {
    const [row] = await db.db
      .select({ n: sql<number>`count(distinct ${messages.inReplyTo})::int` })
      .from(messages)
      .where(and(eq(messages.authorRole, 'ai'), eq(messages.deliveryStatus, 'sent')));
    handled = row.n;
    if (handled >= expected) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const drainSeconds = Math.round((performance.now() - drainStart) / 100) / 10;
  const [replyLag] = await db.sql<{ p50: number; p95: number; p99: number }[]>`
    select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95,
           percentile_cont(0.99) within group (order by ms) as p99
    from (select extract(epoch from (r.created_at - m.created_at)) * 1000 as ms
          from messages m join messages r on r.in_reply_to = m.id and r.author_role = 'ai'
          where m.content like '%(busy %') t`;

  // Acknowledgement comes before the signal (see docs/decisions/001), so report when signals landed too.
  const signalLag = await db.sql<{ lag: number }[]>`
    select extract(epoch from (signaled_at - created_at)) * 1000 as lag from messages
    where content like '%(rate %' and signaled_at is not null`;
  const [span] = await db.sql<{ seconds: number; n: number }[]>`
    select extract(epoch from (max(signaled_at) - min(created_at))) as seconds, count(*)::int as n
    from messages where content like '%(max %'`;
  const signalledPerSec = Math.round((span.n / Number(span.seconds)) * 10) / 10;

  const result = {
    bench: 'ingest',
    messages: N,
    conversations: M,
    targetRatePerSec: RATE,
    concurrency: CONCURRENCY,
    api: { atRate: apiAtRate, max: apiMax, atRateWhileProcessing: apiWhileProcessing },
    bareSignalWithStart: { atRate: bareAtRate, max: bareMax },
    signalLagAtRateMs: latencySummary(signalLag.map((r) => Number(r.lag))),
    signalledThroughputPerSec: signalledPerSec,
    throughputRatio: Math.round((apiMax.throughputPerSec / bareMax.throughputPerSec) * 100) / 100,
    signalledThroughputRatio: Math.round((signalledPerSec / bareMax.throughputPerSec) * 100) / 100,
    ackP99AtRateRatio: Math.round((apiAtRate.latencyMs.p99 / bareAtRate.latencyMs.p99) * 100) / 100,
    processed: {
      acknowledged: expected,
      repliedTo: handled,
      drainSeconds,
      replyLatencyWhileProcessingMs: { p50: Math.round(replyLag.p50), p95: Math.round(replyLag.p95), p99: Math.round(replyLag.p99) },
    },
  };
  await temporal.connection.close();
  http.close();
  console.log(JSON.stringify(result));
} finally {
  for (const p of procs) await p.stop('SIGTERM', 15_000);
  await db.close();
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
