import { serve } from '@hono/node-server';
import { MongoClient } from 'mongodb';
import { connectDb } from '../db/client.js';
import { ensureAgentConfigIndexes } from '../db/mongo/agent-configs.js';
import { connectTemporalClient } from '../temporal/client.js';
import { TASK_QUEUE } from '../temporal/task-queues.js';
import { createApp } from './app.js';
import { loadApiConfig } from './config.js';
import { LiveHub } from './live/live-hub.js';
import { SignalPump } from './services/signal-pump.js';
import { AutomationEventPump } from './services/automation-event-pump.js';

const config = loadApiConfig();
const db = connectDb(config.DATABASE_URL, { max: 20 });
const mongo = await new MongoClient(config.MONGODB_URL, { serverSelectionTimeoutMS: 5000 }).connect();
await ensureAgentConfigIndexes(mongo.db());
const temporal = await connectTemporalClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
const live = new LiveHub(db.db, db.sql);
await live.start();

const signals = new SignalPump(db.db, temporal, TASK_QUEUE);
signals.start();
const automationEvents = new AutomationEventPump(db.db, db.sql, temporal, TASK_QUEUE);
await automationEvents.start();

const app = createApp({ config, db: db.db, temporal, mongo, live, signals, taskQueue: TASK_QUEUE });
const server = serve({ fetch: app.fetch, port: config.API_PORT, hostname: config.API_HOST }, (info) =>
  console.log(`[api] listening on http://${config.API_HOST}:${info.port}`),
);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  // Live streams never end by themselves, so close open connections rather than wait for them.
  server.close();
  (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  await live.stop().catch(() => {});
  await signals.stop();
  await automationEvents.stop();
  await Promise.allSettled([db.close(), mongo.close(), temporal.connection.close()]);
  console.log('[api] stopped');
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
