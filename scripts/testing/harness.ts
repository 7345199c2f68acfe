import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { defaultChannelSenders } from '../../activities/channels/senders.js';
import { createApp } from '../../api/app.js';
import { loadApiConfig, type ApiConfig } from '../../api/config.js';
import { LiveHub } from '../../api/live/live-hub.js';
import { SignalPump } from '../../api/services/signal-pump.js';
import { AutomationEventPump } from '../../api/services/automation-event-pump.js';
import { connectDb } from '../../db/client.js';
import { parseMasterKey } from '../../db/credential-crypto.js';
import { ensureAgentConfigIndexes } from '../../db/mongo/agent-configs.js';
import { connectTemporalClient } from '../../temporal/client.js';
import { createWorker } from '../../temporal/worker.js';

// Worker lifecycle chatter drowns test output; warnings and errors still show.
let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** A fixed key for tests only: 32 bytes, base64. */
export const TEST_CREDENTIALS_KEY = Buffer.alloc(32, 7).toString('base64');

export interface HarnessOptions {
  worker?: boolean;
  aiReplyDelayMs?: number;
  /** Fake vendor and tenant servers listen on loopback, so tests allow private addresses unless they test the guard. */
  allowPrivateNetworks?: boolean;
  /** Also the worker's: PUBLIC_URL and the provider URLs (TWILIO_API_URL, SES_ENDPOINT, META_GRAPH_URL, TELEGRAM_API_URL). */
  config?: Partial<Record<Exclude<keyof ApiConfig, 'PROVIDER_URLS'>, string>>;
  /** Run the automation event pump (see below why it is opt-in). */
  automationEvents?: boolean;
}

/**
 * The real API (through app.request), a real worker on a task queue of its own, and the shared
 * real Temporal, PostgreSQL and FerretDB started by the global setup.
 */
export async function startHarness(opts: HarnessOptions = {}) {
  quietRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const databaseUrl = inject('databaseUrl');
  const config = loadApiConfig({
    DATABASE_URL: databaseUrl,
    MONGODB_URL: inject('mongoUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    CREDENTIALS_MASTER_KEY: TEST_CREDENTIALS_KEY,
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...opts.config,
  });
  const db = connectDb(databaseUrl, { max: 5 });
  const mongo = await new MongoClient(config.MONGODB_URL, { serverSelectionTimeoutMS: 5000 }).connect();
  await ensureAgentConfigIndexes(mongo.db());
  const temporal = await connectTemporalClient(config.TEMPORAL_ADDRESS);
  const live = new LiveHub(db.db, db.sql);
  await live.start();
  const signals = new SignalPump(db.db, temporal, taskQueue, { sweepEveryMs: 500, sweepAfterMs: 1_000 });
  const app = createApp({ config, db: db.db, temporal, mongo, live, signals, taskQueue });
  // Opt-in: a pump dispatches every tenant's events, and would start another test file's runs on
  // this harness's task queue, to be stranded when this harness closes.
  const automationEvents = opts.automationEvents ? new AutomationEventPump(db.db, db.sql, temporal, taskQueue, { sweepEveryMs: 500 }) : undefined;
  await automationEvents?.start();

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (opts.worker !== false) {
    workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    worker = await createWorker({
      connection: workerConnection,
      taskQueue,
      deps: { db: db.db, mongo: mongo.db(), credentialsKey: parseMasterKey(TEST_CREDENTIALS_KEY), channels: defaultChannelSenders(config.PROVIDER_URLS, { allowPrivateNetworks: opts.allowPrivateNetworks ?? true }), publicUrl: config.PUBLIC_URL, aiReplyDelayMs: opts.aiReplyDelayMs ?? 0, allowPrivateNetworks: opts.allowPrivateNetworks ?? true },
      workflowBundle: { codePath: inject('workflowBundlePath') },
      shutdownGraceTime: '1s',
    });
    running = worker.run();
  }

  const call = async (method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) => {
    const res = await app.request(path, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  };

  /** A fresh workspace with its owner, logged in. */
  const signup = async (label = 'ws') => {
    const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
    const r = await call('POST', '/v1/auth/signup', { workspaceName: `${label} workspace`, name: `${label} owner`, email, password: 'correct horse battery' });
    if (r.status !== 201) throw new Error(`signup failed: ${r.status} ${JSON.stringify(r.body)}`);
    return { ...r.body, email, password: 'correct horse battery' } as {
      accessToken: string;
      refreshToken: string;
      user: { id: string; tenantId: string };
      tenant: { id: string; widgetKey: string };
      email: string;
      password: string;
    };
  };

  /** A widget visitor of a workspace, with a session. */
  const visitor = async (widgetKey: string, details: Record<string, string> = {}) => {
    const r = await call('POST', '/v1/widget/sessions', { widgetKey, ...details });
    if (r.status !== 201) throw new Error(`widget session failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { sessionToken: string; visitorId: string; contactId: string };
  };

  const close = async () => {
    worker?.shutdown();
    await running;
    await workerConnection?.close();
    await signals.stop();
    await automationEvents?.stop();
    await live.stop();
    await Promise.allSettled([db.close(), mongo.close(), temporal.connection.close()]);
  };

  return { app, call, signup, visitor, db: db.db, sql: db.sql, mongo: mongo.db(), temporal, taskQueue, config, signals, automationEvents, close };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
