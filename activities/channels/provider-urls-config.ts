import { z } from 'zod';

/** The config fragment both processes read provider URLs from (api/config.ts, temporal/config.ts). */
export const providerUrlsConfig = {
  TWILIO_API_URL: z.string().url().optional(),
  SES_ENDPOINT: z.string().url().optional(),
  META_GRAPH_URL: z.string().url().optional(),
  TELEGRAM_API_URL: z.string().url().optional(),
};

export const providerUrlsFrom = (c: { TWILIO_API_URL?: string; SES_ENDPOINT?: string; META_GRAPH_URL?: string; TELEGRAM_API_URL?: string }) => ({
  twilio: c.TWILIO_API_URL,
  ses: c.SES_ENDPOINT,
  graph: c.META_GRAPH_URL,
  telegram: c.TELEGRAM_API_URL,
});
