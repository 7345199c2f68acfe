import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

const STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof STATUS;

export interface FieldError {
  field: string;
  message: string;
}

/** The API's one error type: domain code throws it, and only `onError` turns it into HTTP. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
  get status(): ContentfulStatusCode {
    return STATUS[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

export function validationError(error: z.ZodError, where: string): AppError {
  const fields = error.issues.map((i) => ({ field: i.path.map(String).join('.') || (where === 'json' ? 'body' : where), message: i.message }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new AppError('validation_failed', `invalid ${where}: ${summary}`, fields);
}

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

export function errorResponse(c: Context, err: AppError) {
  const requestId = (c.get('requestId') as string | undefined) ?? 'unknown';
  return c.json({ error: { code: err.code, message: err.message, requestId, ...(err.fields && { fields: err.fields }) } }, err.status);
}

// Unique constraints that a race between two valid requests can hit, and the field each one is about.
const UNIQUE_FIELDS: Record<string, string> = { users_email_key: 'email', invitations_token_hash_unique: 'token', teams_tenant_name_key: 'name', canned_responses_tenant_shortcut_key: 'shortcut', pipeline_stages_name_key: 'stages', macros_tenant_name_key: 'name', accounts_tenant_name_key: 'name', contact_attribute_definitions_key: 'key', contact_list_views_name_key: 'name' };

/** Database errors caused by the request, not by the server: answered as 4xx, never 500. */
function fromDatabase(err: Error): AppError | undefined {
  const pg = (err.cause ?? err) as { code?: string; constraint_name?: string };
  if (pg.code === '23505') {
    const field = (pg.constraint_name && UNIQUE_FIELDS[pg.constraint_name]) || 'body';
    return new AppError('conflict', `${field} already exists`, [{ field, message: 'already exists' }]);
  }
  if (pg.code === '22021' || pg.code === '22P05') {
    return new AppError('validation_failed', 'text contains characters that cannot be stored', [{ field: 'body', message: 'invalid characters' }]);
  }
  return undefined;
}

/** The single `app.onError`: maps known errors to their status and logs only server faults. */
export function handleError(err: Error, c: Context) {
  if (err instanceof AppError) return errorResponse(c, err);
  const fromDb = fromDatabase(err);
  if (fromDb) return errorResponse(c, fromDb);
  if (err instanceof HTTPException) {
    const code: ErrorCode =
      err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : err.status === 415 ? 'unsupported_media_type' : 'bad_request';
    const message = err.status === 413 ? 'request body is too large' : err.message || 'bad request';
    return errorResponse(c, new AppError(code, message, code === 'bad_request' ? [{ field: 'body', message }] : undefined));
  }
  console.error(`[api] ${c.req.method} ${c.req.path} failed (${c.get('requestId')})`, err);
  return errorResponse(c, new AppError('internal', 'internal error'));
}
