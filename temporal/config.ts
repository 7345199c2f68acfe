import { z } from 'zod';
import { TASK_QUEUE } from './task-queues.js';
import { providerUrlsConfig, providerUrlsFrom } from '../activities/channels/provider-urls-config.js';

const schema = z.object({
  DATABASE_URL: z.string().url(),
  MONGODB_URL: z.string().min(1),
  CREDENTIALS_MASTER_KEY: z.string().refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  /** A prebuilt workflow bundle (production); without it the worker bundles at start. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  AI_REPLY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  WORKER_SHUTDOWN_GRACE: z.string().default('30s'),
  /** The API's public URL: providers post delivery statuses back to it. */
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:8000'),
  /** How long one send attempt holds a message; it must outlive the providers' client timeouts (15 s). */
  SEND_LEASE_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /**
   * Off by default: tenant-configured URLs (HTTP tools, LLM base URLs) may not reach loopback,
   * private or link-local addresses. Self-hosters whose Ollama or shop API runs on their own
   * network turn it on.
   */
  ALLOW_PRIVATE_NETWORK_URLS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  ...providerUrlsConfig,
}).transform((c) => ({ ...c, PROVIDER_URLS: providerUrlsFrom(c) }));

export type WorkerConfig = z.infer<typeof schema>;

/** The worker process's only reader of process.env. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid worker configuration: ${fields}`);
  }
  return parsed.data;
}
