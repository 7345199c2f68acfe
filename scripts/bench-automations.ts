/**
 * `npm run bench:automations`: the automation interpreter's overhead. Runs one 10-node automation
 * (no AI: a tag, two if/else, a switch, contact updates, a ticket and an HTTP call to a local
 * server) through the interpreter, and the same steps as a hand-coded Temporal workflow calling the
 * same action code, in alternating batches on one worker. Reports runs per second, latency
 * percentiles and time per node for each, and their ratio. Starts its own servers; the last line
 * is one JSON object.
 *
 *   npm run bench:automations -- --runs 200 --concurrency 8
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inArray } from 'drizzle-orm';
import { createActivities } from '../activities/index.js';
import { sandboxSender } from '../activities/channels/channel-sender.js';
import type { ActivityDeps } from '../activities/deps.js';
import { connectDb, withTenant } from '../db/client.js';
import { parseMasterKey } from '../db/credential-crypto.js';
import { automationRuns, contacts, tenants } from '../db/schema/index.js';
import { startAutomationRun } from '../temporal/automation-starter.js';
import { startEmbeddedStack } from './stack/embedded-stack.js';
import { createHandCodedActivities } from './bench/hand-coded-activities.js';
import type { HandCodedInput } from './bench/hand-coded-automation.workflow.js';
import { edge, node, publishAutomation } from './testing/automation-fixtures.js';
import { percentile } from './stats.js';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '8' }, warmup: { type: 'string', default: '20' } } });
const RUNS = Number(opts.runs);
const CONCURRENCY = Number(opts.concurrency);
const WARMUP = Number(opts.warmup);
const BATCH = 20;
const NODES = 10;
const TASK_QUEUE = 'bench-automations';

const round = (x: number) => Math.round(x * 100) / 100;
// The worker's lifecycle chatter would follow the figures; the last line must be the JSON.
Runtime.install({ logger: new DefaultLogger('WARN') });

// The machine may be shared: the figures carry its load so a slow run can be told from a slow interpreter.
const loadAtStart = loadavg()[0];
const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/ping`;

const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-automations-'));
const stack = await startEmbeddedStack({ dataDir: dir, persistent: false, env: {} });
const db = connectDb(stack.databaseUrl, { max: 10 });
const mongo = await new MongoClient(stack.mongoUrl).connect();
let result: Record<string, number> | undefined;
const connection = await NativeConnection.connect({ address: stack.temporalAddress });
const client = new Client({ connection });
try {
  const deps: ActivityDeps = {
    db: db.db, mongo: mongo.db(), channels: { sandbox: sandboxSender }, publicUrl: 'http://127.0.0.1', aiReplyDelayMs: 0,
    credentialsKey: parseMasterKey(randomBytes(32).toString('base64')), allowPrivateNetworks: true, temporal: { client, taskQueue: TASK_QUEUE },
  };
  const worker = await Worker.create({
    connection,
    taskQueue: TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('./bench/bench-workflows.ts', import.meta.url)),
    activities: { ...createActivities(deps), ...createHandCodedActivities(deps) },
    maxConcurrentWorkflowTaskExecutions: 40,
    maxConcurrentActivityTaskExecutions: 40,
  });
  const running = worker.run();

  const [tenant] = await db.db.insert(tenants).values({ name: 'bench automations', widgetKey: `wk_${randomUUID()}` }).returning();
  const slots = await withTenant(db.db, tenant.id, (tx) =>
    tx.insert(contacts).values(Array.from({ length: CONCURRENCY }, (_, i) => ({ tenantId: tenant.id, name: `Bench ${i}`, attributes: { tier: 'gold' } }))).returning({ id: contacts.id }),
  );
  const graph = {
    nodes: [
      node('start', 'trigger.webhook'),
      node('tag', 'action.tag', { add: ['bench'] }),
      node('is_pro', 'logic.if', { condition: { left: '{{trigger.body.plan}}', op: 'equals', right: 'pro' } }),
      node('seen', 'action.update_contact', { attributes: { seen: 'yes' } }),
      node('tier', 'logic.switch', { value: '{{contact.attributes.tier}}', cases: [{ key: 'gold', equals: 'gold' }] }),
      node('ticket', 'action.create_ticket', { subject: 'Gold customer on {{trigger.body.plan}}', priority: 'high' }),
      node('call', 'action.http_request', { method: 'GET', url: '{{trigger.body.url}}' }),
      node('untag', 'action.tag', { remove: ['bench'] }),
      node('ok', 'logic.if', { condition: { left: '{{nodes.call.output.status}}', op: 'equals', right: 200 } }),
      node('done', 'action.update_contact', { attributes: { done: 'yes' } }),
    ],
    edges: [edge('start', 'tag'), edge('tag', 'is_pro'), edge('is_pro', 'seen', 'yes'), edge('seen', 'tier'), edge('tier', 'ticket', 'gold'), edge('ticket', 'call'), edge('call', 'untag'), edge('untag', 'ok'), edge('ok', 'done', 'yes')],
  };
  const automation = await publishAutomation(db.db, tenant.id, graph, 'bench');

  const interpreted = async (slot: number) => {
    const run = await startAutomationRun(db.db, client, TASK_QUEUE, {
      tenantId: tenant.id, automationId: automation.automationId, versionId: automation.versionId, eventKey: `bench:${randomUUID()}`,
      triggerType: 'trigger.webhook', trigger: { body: { plan: 'pro', url } }, contactId: slots[slot].id,
    });
    await client.workflow.getHandle(run.workflowId).result();
    return run.runId;
  };
  const handCoded = async (slot: number) => {
    const input: HandCodedInput = { tenantId: tenant.id, contactId: slots[slot].id, plan: 'pro', url };
    const steps = await client.workflow.execute('handCodedAutomation', { taskQueue: TASK_QUEUE, workflowId: `bench-hand:${randomUUID()}`, args: [input] });
    if (steps !== NODES) throw new Error(`the hand-coded workflow took ${steps} steps, not ${NODES}`);
  };

  /** `count` runs of one variant, `CONCURRENCY` at a time, each slot on its own contact. */
  async function batch(variant: (slot: number) => Promise<unknown>, count: number, latencies: number[], ids?: string[]) {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, slot) => {
        while (next < count) {
          next++;
          const t = performance.now();
          const id = await variant(slot);
          latencies.push(performance.now() - t);
          if (ids && typeof id === 'string') ids.push(id);
        }
      }),
    );
  }

  await batch(interpreted, WARMUP, []);
  await batch(handCoded, WARMUP, []);
  const lat = { interpreter: [] as number[], hand: [] as number[] };
  const time = { interpreter: 0, hand: 0 };
  const runIds: string[] = [];
  // Alternating batches: both variants see the same machine, warm or busy.
  for (let done = 0; done < RUNS; done += BATCH) {
    const n = Math.min(BATCH, RUNS - done);
    let t = performance.now();
    await batch(interpreted, n, lat.interpreter, runIds);
    time.interpreter += performance.now() - t;
    t = performance.now();
    await batch(handCoded, n, lat.hand);
    time.hand += performance.now() - t;
  }

  // A broken interpreter must not produce a flattering number: every measured run walked all ten nodes.
  const rows = await db.db.select({ status: automationRuns.status, steps: automationRuns.steps }).from(automationRuns).where(inArray(automationRuns.id, runIds));
  const bad = rows.filter((r) => r.status !== 'succeeded' || r.steps !== NODES);
  if (rows.length !== RUNS || bad.length) throw new Error(`${bad.length} of ${rows.length} interpreter runs did not walk all ${NODES} nodes: ${JSON.stringify(bad.slice(0, 3))}`);
  const [tickets] = await db.sql<{ n: number }[]>`select count(*)::int as n from tickets where tenant_id = ${tenant.id}`;

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const figures = {
    graph_nodes: NODES,
    runs_each: RUNS,
    concurrency: CONCURRENCY,
    interpreter_runs_per_second: round(RUNS / (time.interpreter / 1000)),
    hand_coded_runs_per_second: round(RUNS / (time.hand / 1000)),
    interpreter_p50_ms: round(percentile(lat.interpreter, 50)),
    interpreter_p95_ms: round(percentile(lat.interpreter, 95)),
    hand_coded_p50_ms: round(percentile(lat.hand, 50)),
    hand_coded_p95_ms: round(percentile(lat.hand, 95)),
    interpreter_ms_per_node: round(mean(lat.interpreter) / NODES),
    hand_coded_ms_per_node: round(mean(lat.hand) / NODES),
    interpreter_overhead_per_node_ms: round((mean(lat.interpreter) - mean(lat.hand)) / NODES),
    overhead_ratio: round(mean(lat.interpreter) / mean(lat.hand)),
    throughput_ratio: round(time.interpreter / time.hand),
    goal_ratio: 1.3,
    tickets_created: tickets.n,
    load_1m_start: round(loadAtStart),
    load_1m_end: round(loadavg()[0]),
  };
  worker.shutdown();
  await running;
  result = figures;
} finally {
  await connection.close().catch(() => {});
  await mongo.close().catch(() => {});
  await db.close().catch(() => {});
  await stack.stop();
  http.close();
  rmSync(dir, { recursive: true, force: true });
}
if (result) console.log(JSON.stringify(result));
