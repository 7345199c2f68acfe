import type { AuthorRole, MessageDirection, WidgetMessage } from './widget-api.js';

/** `queued`: waiting for the network to come back; `failed`: the API refused it, the visitor may retry. */
export type PendingStatus = 'sending' | 'queued' | 'failed';

export interface TimelineItem {
  /** Stable DOM key: the server id, or `local:<clientMessageId>` until the server confirms. */
  key: string;
  serverId: string | null;
  clientMessageId: string | null;
  direction: MessageDirection;
  authorRole: AuthorRole;
  content: string;
  createdAt: string;
  status: PendingStatus | 'sent' | string;
}

interface PendingMessage {
  clientMessageId: string;
  content: string;
  createdAt: string;
  status: PendingStatus;
}

/**
 * The conversation as the visitor sees it: server messages merged by id (history refetches and SSE
 * overlap by design, so every source is merged, never appended) plus the visitor's own messages
 * that the server has not acknowledged yet.
 */
export class MessageTimeline {
  private readonly byId = new Map<string, { message: WidgetMessage; seq: number }>();
  private readonly pending = new Map<string, PendingMessage>();
  private seq = 0;

  /** Returns the messages that were not known before, so the caller can count unread replies. */
  merge(messages: readonly WidgetMessage[]): WidgetMessage[] {
    const added: WidgetMessage[] = [];
    for (const message of messages) {
      const known = this.byId.get(message.id);
      if (!known) added.push(message);
      this.byId.set(message.id, { message, seq: known?.seq ?? this.seq++ });
    }
    return added;
  }

  addPending(clientMessageId: string, content: string, createdAt = new Date().toISOString()): void {
    if (this.pending.has(clientMessageId)) return;
    this.pending.set(clientMessageId, { clientMessageId, content, createdAt, status: 'sending' });
  }

  has(messageId: string): boolean {
    return this.byId.has(messageId);
  }

  getPending(clientMessageId: string): { content: string; createdAt: string; status: PendingStatus } | undefined {
    return this.pending.get(clientMessageId);
  }

  setPendingStatus(clientMessageId: string, status: PendingStatus): void {
    const p = this.pending.get(clientMessageId);
    if (p) p.status = status;
  }

  failedIds(): string[] {
    return [...this.pending.values()].filter((p) => p.status === 'failed').map((p) => p.clientMessageId);
  }

  /**
   * Swaps the optimistic entry for the server's id. If SSE already delivered the stored message it
   * wins; otherwise a stand-in keeps the bubble on screen until history or SSE brings the real one.
   */
  confirm(clientMessageId: string, messageId: string): void {
    const p = this.pending.get(clientMessageId);
    if (!p) return;
    this.pending.delete(clientMessageId);
    if (this.byId.has(messageId)) return;
    this.byId.set(messageId, {
      message: { id: messageId, direction: 'inbound', authorRole: 'customer', content: p.content, deliveryStatus: 'sent', createdAt: p.createdAt },
      seq: this.seq++,
    });
  }

  items(): TimelineItem[] {
    const server = [...this.byId.values()].sort((a, b) => {
      const t = Date.parse(a.message.createdAt) - Date.parse(b.message.createdAt);
      return Number.isNaN(t) || t === 0 ? a.seq - b.seq : t;
    });
    const out: TimelineItem[] = server.map(({ message: m }) => ({
      key: m.id,
      serverId: m.id,
      clientMessageId: null,
      direction: m.direction,
      authorRole: m.authorRole,
      content: m.content,
      createdAt: m.createdAt,
      status: m.deliveryStatus,
    }));
    for (const p of this.pending.values()) {
      out.push({
        key: `local:${p.clientMessageId}`,
        serverId: null,
        clientMessageId: p.clientMessageId,
        direction: 'inbound',
        authorRole: 'customer',
        content: p.content,
        createdAt: p.createdAt,
        status: p.status,
      });
    }
    return out;
  }
}
