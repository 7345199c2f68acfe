import { useFetcher } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import type { action } from './conversation.route';

export function ReplyForm() {
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  const sending = fetcher.state !== 'idle';
  const error = fetcher.state === 'idle' ? fetcher.data?.error : null;

  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data && !fetcher.data.error) formRef.current?.reset();
  }, [fetcher.state, fetcher.data]);

  return (
    <fetcher.Form method="post" ref={formRef} className="reply-form" data-testid="reply-form">
      <input type="hidden" name="intent" value="reply" />
      <textarea
        name="content"
        rows={3}
        required
        placeholder="Write a reply… (Ctrl+Enter to send)"
        aria-label="Reply"
        data-testid="reply-input"
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            event.currentTarget.form?.requestSubmit();
          }
        }}
      />
      <div className="reply-footer">
        {error ? (
          <p className="form-error" role="alert" data-testid="reply-error">
            {error}
          </p>
        ) : (
          <span />
        )}
        <button type="submit" className="button primary" disabled={sending} data-testid="reply-send">
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </fetcher.Form>
  );
}
