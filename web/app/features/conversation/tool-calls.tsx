import { Time } from '~/shared/time';
import type { ToolCall } from './conversation-api.server';
import { ActionError, useConversationAction } from './use-conversation-action';

/** Only what is still waiting on a person; decided and finished calls live in the audit log. */
export function PendingToolCalls({ toolCalls, canApprove }: { toolCalls: ToolCall[]; canApprove: boolean }) {
  const waiting = toolCalls.filter((c) => c.status === 'awaiting_approval');
  if (waiting.length === 0) return null;
  return (
    <section className="tool-calls" aria-label="AI actions waiting for approval" data-testid="tool-calls">
      <h3 className="small">The AI is waiting for approval</h3>
      {waiting.map((call) => (
        <ToolCallCard key={call.id} call={call} canApprove={canApprove} />
      ))}
    </section>
  );
}

function ToolCallCard({ call, canApprove }: { call: ToolCall; canApprove: boolean }) {
  const { busy, pendingIntent, error, post } = useConversationAction();
  const args = Object.entries(call.arguments ?? {});
  return (
    <article className="tool-call" data-testid="tool-call" data-call-id={call.id} data-tool={call.name}>
      <header className="tool-call-head">
        <code className="tool-name">{call.name}</code>
        <Time value={call.createdAt} />
      </header>
      {call.reason ? <p className="small">{call.reason}</p> : null}
      {args.length ? (
        <dl className="tool-args">
          {args.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted small">No arguments.</p>
      )}
      {canApprove ? (
        <div className="button-row">
          <button type="button" className="button primary" disabled={busy} onClick={() => post({ intent: 'approve-tool', callId: call.id })} data-testid="approve-tool">
            {pendingIntent === 'approve-tool' ? 'Approving…' : 'Approve'}
          </button>
          <button type="button" className="button danger" disabled={busy} onClick={() => post({ intent: 'reject-tool', callId: call.id })} data-testid="reject-tool">
            {pendingIntent === 'reject-tool' ? 'Rejecting…' : 'Reject'}
          </button>
        </div>
      ) : (
        <p className="muted small">A manager or admin must approve this.</p>
      )}
      <ActionError error={error} testId="tool-call-error" />
    </article>
  );
}
