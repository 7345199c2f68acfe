import { z } from '@hono/zod-openapi';

/** Free text from users: trimmed, bounded, and free of NUL, which PostgreSQL text cannot store. */
export const Text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** An absolute http or https URL of at most `max` characters. */
export const HttpUrl = (max: number) =>
  z
    .string()
    .url()
    .max(max)
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL');
