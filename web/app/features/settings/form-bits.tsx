import { useEffect, useState } from 'react';

/** Small pieces every settings form shares: outcomes, field errors and copy buttons. */
export interface Outcome {
  ok: boolean;
  intent: string;
  error?: string;
  notice?: string;
  fields?: Record<string, string>;
}

export function FieldError({ outcome, name, testId }: { outcome: Outcome | undefined; name: string; testId?: string }) {
  const message = outcome && !outcome.ok ? outcome.fields?.[name] : undefined;
  if (!message) return null;
  return (
    <span className="field-error" role="alert" data-testid={testId ?? `error-${name}`}>
      {message}
    </span>
  );
}

/** The outcome's overall message: the API's refusal, or the notice of a success. */
export function FormStatus({ outcome, testId }: { outcome: Outcome | undefined; testId: string }) {
  if (!outcome) return null;
  if (!outcome.ok) {
    return (
      <p className="form-error" role="alert" data-testid={testId}>
        {outcome.error}
      </p>
    );
  }
  return outcome.notice ? (
    <p className="form-notice" role="status" data-testid={testId}>
      {outcome.notice}
    </p>
  ) : null;
}

/** Copies text with the Clipboard API, falling back to selecting a hidden textarea. */
export function CopyButton({ text, testId, label = 'Copy' }: { text: string; testId: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard access needs a secure context; plain http on a LAN address falls back to execCommand.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
  }

  return (
    <button type="button" className="button" onClick={copy} data-testid={testId} aria-live="polite">
      {copied ? 'Copied' : label}
    </button>
  );
}

/** A form's submit button, disabled and saying so while its fetcher is busy. */
export function SaveButton({ busy, testId, label = 'Save', primary = true }: { busy: boolean; testId: string; label?: string; primary?: boolean }) {
  return (
    <button type="submit" className={primary ? 'button primary' : 'button'} disabled={busy} data-testid={testId}>
      {busy ? 'Saving…' : label}
    </button>
  );
}

/** Says why controls are missing, instead of letting them fail with a 403. */
export function ReadOnlyNote({ role, what }: { role: string; what: string }) {
  return (
    <p className="settings-note" data-testid="read-only-note">
      Your role ({role}) can view {what} but not change it.
    </p>
  );
}
