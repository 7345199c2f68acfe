import { data } from '@remix-run/node';
import { ApiError } from '~/api.server';
import { withAuth } from '../auth/auth.server';

/** What every settings action answers, so each form shows its own outcome and field errors. */
export type ActionOutcome<T = undefined> =
  | { ok: true; intent: string; value: T; notice?: string }
  | { ok: false; intent: string; error: string; fields: Record<string, string> };

/** The API's `fields: [{field, message}]` as a map from field to its first message. */
export function fieldErrors(fields: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(fields)) {
    for (const f of fields as Array<{ field?: unknown; message?: unknown }>) {
      if (typeof f?.field === 'string' && typeof f.message === 'string' && !(f.field in out)) out[f.field] = f.message;
    }
  }
  return out;
}

/**
 * Runs one API call for an action. A refusal comes back as data with the API's status, never as
 * a thrown error page, so the form stays as typed with the message beside it.
 */
export async function runAction<T>(request: Request, intent: string, call: (token: string) => Promise<T>, notice?: string) {
  const authed = await withAuth(request, call);
  if (authed.result.ok) {
    return data<ActionOutcome<T>>({ ok: true, intent, value: authed.result.value, notice }, { headers: authed.headers });
  }
  const error = authed.result.error;
  return data<ActionOutcome<T>>(
    { ok: false, intent, error: error.message, fields: fieldErrors(error.fields) },
    { status: error.status, headers: authed.headers },
  );
}

/** A form problem caught before calling the API, in the same shape. */
export function invalid(intent: string, field: string, message: string) {
  return data<ActionOutcome<never>>({ ok: false, intent, error: message, fields: { [field]: message } }, { status: 400 });
}

/**
 * For loaders that read an API the page can live without (say, one still being rolled out):
 * a missing route is `null` instead of the whole page failing.
 */
export async function optional<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null;
    throw error;
  }
}

export const formString = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
