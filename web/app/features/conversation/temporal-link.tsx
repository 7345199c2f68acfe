import { useShell } from '../shell/use-viewer';

/** Ops' way into the conversation's durable workflow; hidden when Temporal has no UI configured. */
export function TemporalLink({ conversationId }: { conversationId: string }) {
  const { temporalUi, viewer } = useShell();
  if (!temporalUi || !viewer.tenantId) return null;
  // The id as temporal/contracts.ts builds it; its colons are valid in a URL path.
  const workflowId = `conversation:${viewer.tenantId}:${conversationId}`;
  const href = `${temporalUi.url}/namespaces/${encodeURIComponent(temporalUi.namespace)}/workflows/${workflowId}`;
  return (
    <a className="temporal-link small" href={href} target="_blank" rel="noreferrer noopener" data-testid="temporal-link">
      Open in Temporal UI ↗
    </a>
  );
}
