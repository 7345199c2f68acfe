/** How each delivery status reads: a tick mark as chat apps draw it, and words for screen readers. */
const TICKS: Record<string, { mark: string; label: string }> = {
  queued: { mark: '◷', label: 'Queued' },
  sent: { mark: '✓', label: 'Sent' },
  delivered: { mark: '✓✓', label: 'Delivered' },
  read: { mark: '✓✓', label: 'Read' },
  failed: { mark: '⚠', label: 'Failed' },
  received: { mark: '', label: 'Received' },
};

/** Delivery ticks for an outbound message; a failure carries the provider's reason. */
export function DeliveryStatus({ status, error }: { status: string; error?: string | null }) {
  const tick = TICKS[status] ?? { mark: '', label: status };
  const title = status === 'failed' && error ? `Failed: ${error}` : tick.label;
  return (
    <span className={`ticks ticks-${status}`} title={title} aria-label={title} data-testid="message-delivery-status" data-status={status}>
      <span aria-hidden="true">{tick.mark}</span>
      {status === 'failed' || status === 'queued' ? <span className="ticks-word"> {tick.label}</span> : null}
    </span>
  );
}
