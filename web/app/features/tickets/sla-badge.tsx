import type { Ticket } from './tickets-api.server';

function left(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h ${m % 60}m` : `${Math.floor(h / 24)}d`;
}

/** The SLA target that matters now: breached, due in…, paused while pending, or met. */
export function SlaBadge({ ticket, now }: { ticket: Ticket; now: number }) {
  const s = ticket.sla;
  let text: string;
  let kind: 'breached' | 'due' | 'paused' | 'met' | 'none';
  if (s.firstResponseBreachedAt || s.resolutionBreachedAt) {
    text = `${s.firstResponseBreachedAt && !s.firstRespondedAt ? 'First response' : 'Resolution'} breached`;
    kind = 'breached';
  } else if (ticket.status === 'resolved' || ticket.status === 'closed') {
    [text, kind] = s.resolvedAt ? ['SLA met', 'met'] : ['No SLA', 'none'];
  } else if (ticket.status === 'pending') {
    [text, kind] = ['SLA paused', 'paused'];
  } else {
    const due = !s.firstRespondedAt && s.firstResponseDueAt ? s.firstResponseDueAt : s.resolutionDueAt;
    if (!due) [text, kind] = ['No SLA', 'none'];
    else {
      const ms = Date.parse(due) - now;
      [text, kind] = [ms >= 0 ? `${!s.firstRespondedAt ? 'Reply' : 'Resolve'} in ${left(ms)}` : `Overdue ${left(ms)}`, ms >= 0 ? 'due' : 'breached'];
    }
  }
  return (
    <span className={`badge sla-${kind}`} data-testid="sla-badge" data-sla={kind}>
      {text}
    </span>
  );
}
