import type postgres from 'postgres';
import { and, asc, eq, gt, like, notLike } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { conversationNotes, conversations, liveEvents, messages } from '../../db/schema/index.js';
import { toMessageView } from '../routes/conversations/views.js';

export interface LiveEvent {
  id: number;
  kind: string;
  conversationId: string;
  contactId: string;
  channel: string;
  message?: ReturnType<typeof toMessageView>;
  conversation?: { id: string; status: string; owner: string; assigneeId: string | null; channel: string };
  /** A private note's reference, never its content: enough for inboxes to refetch and for mention badges. */
  note?: { id: string; conversationId: string; authorId: string | null; mentions: string[] };
}

/** Kinds only agents may see: a visitor's stream never carries them, live or replayed. */
const AGENT_ONLY_PREFIX = 'note.';
const agentOnly = (kind: string) => kind.startsWith(AGENT_ONLY_PREFIX);

const PAGE = 500;
const REPLAY_OVERLAP = 50;

export interface Subscriber {
  tenantId: string;
  /** Widget visitors see only their own contact's conversations, and no agent-only events. */
  contactId?: string;
  push(event: LiveEvent): void;
}

/**
 * Fans the database's live events out to connected agents and visitors. Triggers write every
 * change to `live_events` and NOTIFY its id; one LISTEN connection per API process feeds all streams.
 */
export class LiveHub {
  private subscribers = new Map<string, Set<Subscriber>>();
  private listener?: { unlisten: () => Promise<void> };

  constructor(
    private readonly db: Database,
    private readonly sql: postgres.Sql,
  ) {}

  async start(): Promise<void> {
    this.listener = await this.sql.listen('live_events', (payload) => {
      const [tenantId, id] = payload.split(':');
      if (!this.subscribers.has(tenantId)) return;
      this.load(tenantId, { exactly: Number(id) })
        .then((events) => events.forEach((e) => this.dispatch(tenantId, e)))
        .catch((err) => console.error('[live] failed to load event', id, err));
    });
  }

  async stop(): Promise<void> {
    await this.listener?.unlisten();
  }

  subscribe(sub: Subscriber): () => void {
    let set = this.subscribers.get(sub.tenantId);
    if (!set) this.subscribers.set(sub.tenantId, (set = new Set()));
    set.add(sub);
    const own = set;
    // Idempotent, and never removes a newer set made after this one emptied.
    return () => {
      if (!own.delete(sub)) return;
      if (own.size === 0 && this.subscribers.get(sub.tenantId) === own) this.subscribers.delete(sub.tenantId);
    };
  }

  /**
   * Events for a client that reconnects with Last-Event-ID. Ids are taken at insert but commits can
   * land out of order, so a short overlap before `afterId` is sent again: clients merge by message id.
   */
  async replay(tenantId: string, afterId: number, contactId?: string): Promise<LiveEvent[]> {
    const events: LiveEvent[] = [];
    let cursor = Math.max(0, afterId - REPLAY_OVERLAP);
    for (;;) {
      const page = await this.load(tenantId, { after: cursor }, contactId);
      events.push(...page);
      if (page.length < PAGE) return events;
      cursor = page[page.length - 1].id;
    }
  }

  private dispatch(tenantId: string, event: LiveEvent) {
    for (const sub of this.subscribers.get(tenantId) ?? []) {
      if (sub.contactId && (sub.contactId !== event.contactId || agentOnly(event.kind))) continue;
      sub.push(event);
    }
  }

  // The platform connection reads here, so every query filters on the tenant explicitly.
  private async load(tenantId: string, range: { exactly: number } | { after: number }, contactId?: string): Promise<LiveEvent[]> {
    const rows = await this.db
      .select({
        event: liveEvents,
        contactId: conversations.contactId,
        conversation: conversations,
        message: messages,
        note: { id: conversationNotes.id, authorId: conversationNotes.authorUserId, mentions: conversationNotes.mentions },
      })
      .from(liveEvents)
      .innerJoin(conversations, eq(conversations.id, liveEvents.conversationId))
      .leftJoin(messages, and(like(liveEvents.kind, 'message.%'), eq(messages.id, liveEvents.refId), eq(messages.tenantId, tenantId)))
      .leftJoin(conversationNotes, and(like(liveEvents.kind, `${AGENT_ONLY_PREFIX}%`), eq(conversationNotes.id, liveEvents.refId), eq(conversationNotes.tenantId, tenantId)))
      .where(
        and(
          eq(liveEvents.tenantId, tenantId),
          'exactly' in range ? eq(liveEvents.id, range.exactly) : gt(liveEvents.id, range.after),
          contactId ? eq(conversations.contactId, contactId) : undefined,
          contactId ? notLike(liveEvents.kind, `${AGENT_ONLY_PREFIX}%`) : undefined,
        ),
      )
      .orderBy(asc(liveEvents.id))
      .limit(PAGE);
    return rows.map(({ event, contactId, conversation, message, note }) => ({
      id: event.id,
      kind: event.kind,
      conversationId: event.conversationId,
      contactId,
      channel: conversation.channel,
      ...(message
        ? { message: toMessageView(message) }
        : note?.id
          ? { note: { id: note.id, conversationId: event.conversationId, authorId: note.authorId, mentions: note.mentions } }
          : { conversation: { id: conversation.id, status: conversation.status, owner: conversation.owner, assigneeId: conversation.assigneeId, channel: conversation.channel } }),
    }));
  }
}
