import { NativeConnection } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { defaultChannelSenders } from '../activities/channels/senders.js';
import { connectDb } from '../db/client.js';
import { parseMasterKey } from '../db/credential-crypto.js';
import { loadWorkerConfig } from './config.js';
import { createWorker } from './worker.js';

const config = loadWorkerConfig();
const db = connectDb(config.DATABASE_URL);
const mongo = await new MongoClient(config.MONGODB_URL, { serverSelectionTimeoutMS: 5000 }).connect();
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await createWorker({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TASK_QUEUE,
  deps: { db: db.db, mongo: mongo.db(), credentialsKey: parseMasterKey(config.CREDENTIALS_MASTER_KEY), channels: defaultChannelSenders(config.PROVIDER_URLS, { allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORK_URLS }), publicUrl: config.PUBLIC_URL, sendLeaseSeconds: config.SEND_LEASE_SECONDS, aiReplyDelayMs: config.AI_REPLY_DELAY_MS, allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORK_URLS },
  workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { code: readFileSync(config.WORKFLOW_BUNDLE_PATH, 'utf8') } : undefined,
  shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE,
});
console.log(`[worker] polling ${worker.options.taskQueue} on ${config.TEMPORAL_ADDRESS}`);
// The SDK's runtime traps SIGINT/SIGTERM and drains the worker; run() resolves once it has stopped.
await worker.run();
await connection.close();
await db.close();
await mongo.close();
console.log('[worker] stopped');
