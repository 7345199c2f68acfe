/**
 * What the conversation view (and the inbox's keyboard shortcuts) may post to
 * `/inbox/{id}` as `intent`, parsed and checked. Pure, so every rule here is unit-tested; the
 * API calls live in conversation-commands.server.ts.
 */
export type Intent =
  | { kind: 'take-over' }
  | { kind: 'hand-back' }
  /** Either side or both; null clears that side. */
  | { kind: 'assign'; assigneeId?: string | null; teamId?: string | null }
  /** To whoever is signed in. */
  | { kind: 'assign-me' }
  /** `until: null` is "until the customer replies". */
  | { kind: 'snooze'; until: string | null }
  | { kind: 'close'; status: 'resolved' | 'closed' }
  /** Wakes a snoozed conversation, or opens a resolved or closed one again. */
  | { kind: 'reopen' }
  | { kind: 'reply'; content: string }
  | { kind: 'note'; content: string; mentions: string[] }
  | { kind: 'labels'; labels: string[] }
  | { kind: 'tool-call'; callId: string; verdict: 'approve' | 'reject' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_LABELS = 20;
const MAX_LABEL_LENGTH = 40;

/** `""` clears, a uuid assigns; anything else is refused rather than read as "clear". */
function target(form: FormData, name: string): string | null | undefined | Error {
  if (!form.has(name)) return undefined;
  const value = String(form.get(name)).trim();
  if (value === '') return null;
  return UUID.test(value) ? value : new Error(`${name} is not a valid id`);
}

/** The intent, or a message saying what is wrong with the form (shown next to the control). */
export function parseIntent(intent: string, form: FormData, now = Date.now()): Intent | string {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  switch (intent) {
    case 'take-over':
    case 'hand-back':
    case 'assign-me':
      return { kind: intent };
    case 'unassign':
      return { kind: 'assign', assigneeId: null };
    case 'assign': {
      const assigneeId = target(form, 'assigneeId');
      const teamId = target(form, 'teamId');
      if (assigneeId instanceof Error) return assigneeId.message;
      if (teamId instanceof Error) return teamId.message;
      if (assigneeId === undefined && teamId === undefined) return 'Choose an agent or a team to assign to.';
      return { kind: 'assign', ...(assigneeId !== undefined && { assigneeId }), ...(teamId !== undefined && { teamId }) };
    }
    case 'snooze': {
      const until = text('until');
      if (until === 'customer-reply') return { kind: 'snooze', until: null };
      const at = Date.parse(until);
      if (!until || Number.isNaN(at)) return 'Choose when the conversation should wake up.';
      if (at <= now) return 'The snooze time must be in the future.';
      return { kind: 'snooze', until: new Date(at).toISOString() };
    }
    case 'unsnooze':
    case 'reopen':
      return { kind: 'reopen' };
    case 'resolve':
      return { kind: 'close', status: 'resolved' };
    case 'close':
      return { kind: 'close', status: 'closed' };
    case 'reply': {
      const content = text('content');
      return content ? { kind: 'reply', content } : 'Write a reply first.';
    }
    case 'note': {
      const content = text('content');
      const mentions = [...new Set(form.getAll('mentions').map(String).filter((m) => UUID.test(m)))];
      return content ? { kind: 'note', content, mentions } : 'Write a note first.';
    }
    case 'labels': {
      const labels = [...new Set(form.getAll('label').map((l) => String(l).trim()).filter(Boolean))];
      if (labels.length > MAX_LABELS) return `At most ${MAX_LABELS} labels.`;
      if (labels.some((l) => l.length > MAX_LABEL_LENGTH)) return `A label is at most ${MAX_LABEL_LENGTH} characters.`;
      return { kind: 'labels', labels };
    }
    case 'approve-tool':
    case 'reject-tool': {
      const callId = text('callId');
      if (!UUID.test(callId)) return 'Which tool call? callId is missing or not an id.';
      return { kind: 'tool-call', callId, verdict: intent === 'approve-tool' ? 'approve' : 'reject' };
    }
    default:
      return `Unknown action "${intent}".`;
  }
}
