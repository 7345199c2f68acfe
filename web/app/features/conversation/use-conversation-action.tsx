import { useFetcher } from '@remix-run/react';

/** What the conversation route's action answers: the API's refusal, if any, for the intent posted. */
export interface ActionResult {
  intent: string;
  error: string | null;
}

/**
 * One fetcher per control group, so a refusal shows next to what was clicked and two groups can
 * be busy at once. Posts go to the conversation route's action.
 */
export function useConversationAction() {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== 'idle';
  const pendingIntent = busy ? String(fetcher.formData?.get('intent') ?? '') : null;
  const error = fetcher.state === 'idle' ? (fetcher.data?.error ?? null) : null;
  const post = (fields: Record<string, string | string[]>) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) form.append(key, v);
    }
    fetcher.submit(form, { method: 'post' });
  };
  return { fetcher, busy, pendingIntent, error, post };
}

export function ActionError({ error, testId = 'action-error' }: { error: string | null; testId?: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
