import { z } from 'zod';
import { parseMasterKey } from '../db/credential-crypto.js';
import { providerUrlsConfig, providerUrlsFrom } from '../activities/channels/provider-urls-config.js';
import { DEFAULT_SNS_CERT_URL_PATTERN } from './services/email/sns-message.js';

const csv = z
  .string()
  .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean));

const schema = z.object({
  API_PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  API_HOST: z.string().default('127.0.0.1'),
  /** The API's public URL: links in the docs, the widget demo page, and provider signature checks. */
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:8000'),
  DATABASE_URL: z.string().url(),
  MONGODB_URL: z.string().min(1),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** 32 random bytes, base64: seals tenants' provider and channel credentials. */
  CREDENTIALS_MASTER_KEY: z.string().transform((s, ctx) => {
    try {
      return parseMasterKey(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, base64-encoded' });
      return z.NEVER;
    }
  }),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  WIDGET_SESSION_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  CORS_ORIGINS: csv.default(['http://localhost:3000', 'http://127.0.0.1:3000']),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Key of the demo tenant's widget, shown on the demo page; empty when there is no demo tenant. */
  DEMO_WIDGET_KEY: z.string().default(''),
  ...providerUrlsConfig,
  /** As the worker's: may tenant-set URLs (a self-hosted Chatwoot) be on private networks? Used by connection tests. */
  ALLOW_PRIVATE_NETWORK_URLS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Where SNS signing certificates and subscription links may come from; only tests point it at a local server. */
  SNS_CERT_URL_PATTERN: z
    .string()
    .default(DEFAULT_SNS_CERT_URL_PATTERN)
    .refine((s) => {
      try {
        return Boolean(new RegExp(s));
      } catch {
        return false;
      }
    }, 'must be a regular expression'),
}).transform((c) => ({ ...c, PROVIDER_URLS: providerUrlsFrom(c) }));

export type ApiConfig = z.infer<typeof schema>;

/** The API process's only reader of process.env. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid API configuration: ${fields}`);
  }
  return parsed.data;
}
