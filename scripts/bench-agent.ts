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
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { withPlatform } from './stack/platform-processes.js';
import { percentile } from './stats.js';
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

const pct = (xs: number[], p: number) => Math.round(percentile(xs, p) * 10) / 10;

const fakeKey = `sk-bench-${randomUUID()}`;
const fake = await startFakeOpenAi(fakeKey, { latencyMs: Number(opts['provider-latency']) });
try {
  await withPlatform('bench-agent', { dbMax: 2 }, async ({ db, call }) => {
    const kbDir = fileURLToPath(new URL('../db/demo-kb/', import.meta.url));
    const run = async (label: 'warmup' | 'warmup-llm' | 'local' | 'llm', count = N) => {
      const withLlm = label === 'llm' || label === 'warmup-llm';
      const ws = await call('POST', '/v1/auth/signup', { workspaceName: `bench ${label}`, name: 'Bench', email: `bench-${label}-${randomUUID().slice(0, 6)}@example.com`, password: 'a long password' });
      for (const f of readdirSync(kbDir)) await call('POST', '/v1/knowledge/documents', { title: f.replace('.md', ''), content: readFileSync(join(kbDir, f), 'utf8') }, ws.accessToken);
      if (withLlm) await call('POST', '/v1/agent/providers', { kind: 'openai', apiKey: fakeKey, baseUrl: `${fake.url}/v1`, model: 'echo' }, ws.accessToken);
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
      // Where the time goes, each stage measured from the inbound message being stored.
      const rows = await db.db.execute<{ content: string; ms: number; written: number; delivering: number; opening: boolean }>(sql`
        select m.content, extract(epoch from (o.sent_at - m.created_at)) * 1000 as ms,
          row_number() over (partition by m.conversation_id order by m.created_at) = 1 as opening,
          extract(epoch from (r.created_at - m.created_at)) * 1000 as written,
          extract(epoch from (o.created_at - m.created_at)) * 1000 as delivering
        from messages m join messages r on r.in_reply_to = m.id and r.author_role = 'ai' join outbox o on o.message_id = r.id
        where m.tenant_id = ${ws.tenant.id} and o.status = 'sent'`);
      const providerMs = new Map(fake.timings.map((t) => [t.lastUser, t.ms]));
      const platformOf = (r: (typeof rows)[number]) => Number(r.ms) - (withLlm ? (providerMs.get(r.content) ?? 0) : 0);
      const platform = rows.map(platformOf);
      // A conversation's first message also starts its workflow run.
      const opening = rows.filter((r) => r.opening).map(platformOf);
      const stage = (key: 'written' | 'delivering') => {
        const xs = rows.map((r) => Number(r[key])).filter((x) => Number.isFinite(x));
        return { p50: pct(xs, 50), p95: pct(xs, 95) };
      };
      return {
        replies: rows.length,
        platformMsP50: pct(platform, 50),
        platformMsP95: pct(platform, 95),
        openingMessages: { count: opening.length, p50: pct(opening, 50), p95: pct(opening, 95) },
        providerMsP50: withLlm ? pct([...providerMs.values()], 50) : 0,
        // Cumulative, from the inbound message being stored: reply row written, delivery started.
        stagesMs: { replyWritten: stage('written'), deliveryStarted: stage('delivering') },
      };
    };

    // Worker JIT, first workflow starts and index builds are start-up costs, not per-reply ones;
    // each path is warmed, since the model path runs code (the provider SDK) the local one never does.
    await run('warmup', 30);
    await run('warmup-llm', 30);
    const local = await run('local');
    const llm = await run('llm');
    console.log(JSON.stringify({ bench: 'agent', messages: N, conversations: M, ratePerSec: RATE, local, llm, goalP95Ms: 50 }));
  });
} finally {
  await fake.close();
}
