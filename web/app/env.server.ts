import { z } from 'zod';

/** The only module that reads process.env in the web app. */
const url = z
  .url()
  .transform((value) => value.replace(/\/+$/, ''));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  API_URL: url.default('http://127.0.0.1:8000'),
  PUBLIC_API_URL: url.optional(),
  /** Where ops open a conversation's workflow; absent when Temporal has no UI (external server). */
  TEMPORAL_UI_URL: url.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  SESSION_SECRET: z.string().min(16).default('switchboard-dev-session-secret-change-me'),
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

function loadEnv() {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid web environment:\n${z.prettifyError(parsed.error)}`);
  }
  const { PUBLIC_API_URL, ...rest } = parsed.data;
  return { ...rest, PUBLIC_API_URL: PUBLIC_API_URL ?? rest.API_URL };
}

export const env = loadEnv();
