import { useState } from 'react';
import { useShell } from '../shell/use-viewer';
import type { RunDetail, RunSummary } from './automation-types';

/** Test runs of the draft, and the run history; picking a run shows it on the graph. */
export function RunsPanel({ runs, shown, sampleTrigger, readOnly, busy, onTest, onShow, onRefresh, onDecide, onHide }: {
  runs: RunSummary[];
  shown: RunDetail | null;
  sampleTrigger: Record<string, unknown>;
  readOnly: boolean;
  busy: boolean;
  onTest: (trigger: Record<string, unknown>, conversationId?: string) => void;
  onShow: (runId: string) => void;
  onRefresh: () => void;
  onDecide: (runId: string, approve: boolean) => void;
  onHide: () => void;
}) {
  const { temporalUi } = useShell();
  const [payload, setPayload] = useState(JSON.stringify(sampleTrigger, null, 2));
  const [conversationId, setConversationId] = useState('');
  const [bad, setBad] = useState<string | null>(null);
  return (
    <section className="runs-panel" data-testid="runs-panel">
      {readOnly ? null : (
        <form
          className="test-run"
          onSubmit={(e) => {
            e.preventDefault();
            try {
              const trigger = JSON.parse(payload || '{}');
              setBad(null);
              onTest(trigger, conversationId.trim() || undefined);
            } catch {
              setBad('The sample payload is not valid JSON');
            }
          }}
        >
          <h4>Test the draft</h4>
          <textarea rows={4} value={payload} onChange={(e) => setPayload(e.target.value)} aria-label="Sample trigger payload" data-testid="test-payload" />
          <input value={conversationId} onChange={(e) => setConversationId(e.target.value)} placeholder="Conversation id (optional)" />
          {bad ? <span className="field-error">{bad}</span> : null}
          <button type="submit" disabled={busy} data-testid="test-run">
            Run test
          </button>
          <p className="muted">Messages go to the sandbox and actions only report what they would do.</p>
        </form>
      )}
      {shown ? (
        <div className="shown-run" data-testid="shown-run" data-status={shown.status}>
          <p>
            Showing {shown.test ? 'test run' : `run of v${shown.version}`} · <span className={`run-status status-${shown.status}`}>{shown.status}</span>
            {shown.waitingFor ? ` (waiting for ${shown.waitingFor})` : ''}{' '}
            <button type="button" className="link" onClick={onHide}>
              back to the draft
            </button>
          </p>
          {shown.error ? <p className="field-error">{shown.error}</p> : null}
          {shown.waitingFor === 'approval' ? (
            <p>
              <button type="button" onClick={() => onDecide(shown.id, true)} data-testid="approve-run">
                Approve
              </button>{' '}
              <button type="button" onClick={() => onDecide(shown.id, false)}>
                Reject
              </button>
            </p>
          ) : null}
          {temporalUi ? (
            <a href={`${temporalUi.url}/namespaces/${encodeURIComponent(temporalUi.namespace)}/workflows/${encodeURIComponent(shown.workflowId)}`} target="_blank" rel="noreferrer" data-testid="run-temporal-link">
              Open in Temporal UI
            </a>
          ) : null}
        </div>
      ) : null}
      <h4>
        Runs{' '}
        <button type="button" className="link" onClick={onRefresh} data-testid="refresh-runs">
          refresh
        </button>
      </h4>
      <ol className="run-list">
        {runs.map((r) => (
          <li key={r.id}>
            <button type="button" className={`run-item${shown?.id === r.id ? ' current' : ''}`} onClick={() => onShow(r.id)} data-testid="run-item" data-status={r.status}>
              <span className={`run-status status-${r.status}`}>{r.status}</span> {r.test ? 'test' : `v${r.version}`} · {r.triggerType.replace('trigger.', '')} ·{' '}
              <span className="muted">{new Date(r.createdAt).toLocaleTimeString()}</span>
            </button>
          </li>
        ))}
        {runs.length === 0 ? <li className="muted">No runs yet.</li> : null}
      </ol>
    </section>
  );
}
