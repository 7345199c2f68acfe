/**
 * `npm run bench:agent`: the platform's own time per AI reply, the provider's time excluded, p50
 * and p95. A reply's platform time is from the inbound message being stored to its reply being
 * sent (signal, workflow tasks, triage, retrieval, prompt, guardrails, outbox), minus the time the
 * provider took to answer. Runs once with the local provider and once with an LLM behind the local
 * OpenAI-protocol server. Starts its own servers; the last line is one JSON object.
 *
 * Messages arrive at a steady rate well below the worker's capacity (open loop), so the figures are
 * the time a reply takes, not time spent queueing behind other replies.
 *
 *   npm run bench:agent -- --messages 150 --conversations 20 --rate 5
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { connectDb } from '../db/client.js';
import { startEmbeddedStack } from './stack/embedded-stack.js';
import { startApiAndWorker } from './stack/platform-processes.js';
import type { startTsProcess } from './stack/process-utils.js';
import { startFakeOpenAi } from './testing/fake-openai-server.js';

const { values: opts } = parseArgs({
  options: {
    messages: { type: 'string', default: '150' },
    conversations: { type: 'string', default: '20' },
    rate: { type: 'string', default: '5' },
    'provider-latency': { type: 'string', default: '40' },
  },
});
const N = Number(opts.messages);
const M = Number(opts.conversations);
const RATE = Number(opts.rate);
// Questions about the demo help centre the repository ships (db/demo-kb), so the bench needs nothing else.
const QUESTIONS = [
  'How much does shipping to the Netherlands cost?',
  'How many days do I have to return an item?',
  'Can I exchange for another size?',
  'How long does delivery to Germany take?',
  'Where is your store in Utrecht?',
  'When is the store open on Sunday?',
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
};

const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-agent-'));
const stack = await startEmbeddedStack({ dataDir: dir, persistent: false, env: {} });
const db = connectDb(stack.databaseUrl, { max: 2 });
const fakeKey = `sk-bench-${randomUUID()}`;
const fake = await startFakeOpenAi(fakeKey, { latencyMs: Number(opts['provider-latency']) });
const procs: Array<ReturnType<typeof startTsProcess>> = [];
try {
  const platform = await startApiAndWorker(stack);
  procs.push(platform.api, platform.worker);
  const base = platform.baseUrl;
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = res.status === 204 ? undefined : await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  const kbDir = fileURLToPath(new URL('../db/demo-kb/', import.meta.url));
  const run = async (label: 'warmup' | 'local' | 'llm', count = N) => {
    const ws = await call('POST', '/v1/auth/signup', { workspaceName: `bench ${label}`, name: 'Bench', email: `bench-${label}-${randomUUID().slice(0, 6)}@example.com`, password: 'a long password' });
    for (const f of readdirSync(kbDir)) await call('POST', '/v1/knowledge/documents', { title: f.replace('.md', ''), content: readFileSync(join(kbDir, f), 'utf8') }, ws.accessToken);
    if (label === 'llm') await call('POST', '/v1/agent/providers', { kind: 'openai', apiKey: fakeKey, baseUrl: `${fake.url}/v1`, model: 'echo' }, ws.accessToken);
    const sessions: string[] = [];
    for (let i = 0; i < M; i++) sessions.push((await call('POST', '/v1/widget/sessions', { widgetKey: ws.tenant.widgetKey })).sessionToken);
    const started = performance.now();
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const wait = started + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const text = `${QUESTIONS[i % QUESTIONS.length]} (#${label}-${i})`;
      inflight.push(call('POST', '/v1/widget/messages', { content: text, clientMessageId: randomUUID() }, sessions[i % M]));
    }
    await Promise.all(inflight);
    for (let waited = 0; waited < 120_000; waited += 200) {
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from messages where tenant_id = ${ws.tenant.id} and author_role = 'ai' and delivery_status = 'sent'`;
      if (row.n >= count) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows = await db.db.execute<{ content: string; ms: number }>(sql`
      select m.content, extract(epoch from (o.sent_at - m.created_at)) * 1000 as ms
      from messages m join messages r on r.in_reply_to = m.id and r.author_role = 'ai' join outbox o on o.message_id = r.id
      where m.tenant_id = ${ws.tenant.id} and o.status = 'sent'`);
    const providerMs = new Map(fake.timings.map((t) => [t.lastUser, t.ms]));
    const platform = rows.map((r) => Number(r.ms) - (label === 'llm' ? (providerMs.get(r.content) ?? 0) : 0));
    return { replies: rows.length, platformMsP50: pct(platform, 50), platformMsP95: pct(platform, 95), providerMsP50: label === 'llm' ? pct([...providerMs.values()], 50) : 0 };
  };

  // Worker JIT, first workflow starts and index builds are start-up costs, not per-reply ones.
  await run('warmup', 30);
  const local = await run('local');
  const llm = await run('llm');
  console.log(JSON.stringify({ bench: 'agent', messages: N, conversations: M, ratePerSec: RATE, local, llm, goalP95Ms: 50 }));
} finally {
  for (const p of procs) await p.stop('SIGTERM', 15_000);
  await fake.close();
  await db.close();
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}
