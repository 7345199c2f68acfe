import type { ConversationOwner, WidgetMessage } from './widget-api.js';

/** The AI answers within seconds; past this the indicator would be a promise nobody keeps. */
export const TYPING_TIMEOUT_MS = 20_000;

/**
 * "Typing…" while the AI works on an answer, derived from facts the widget already receives rather
 * than a timer started on send:
 *  - the conversation workflow answers every acknowledged customer message while the AI owns the
 *    conversation, so "newest message is the customer's, and owner is ai" means the AI is working;
 *  - the owner comes from history and from live `conversation` events, so a takeover (or the AI
 *    handing off) hides it at once;
 *  - any reply (AI, agent or system notice) ends it; the timeout only caps a reply that never comes.
 * A conversation that does not exist yet starts AI-owned, so an unknown owner counts as `ai`.
 */
export class TypingSignal {
  private owner: ConversationOwner | null = null;
  private since: number | null = null;

  constructor(private readonly timeoutMs = TYPING_TIMEOUT_MS) {}

  setOwner(owner: ConversationOwner | null): void {
    this.owner = owner;
  }

  /**
   * Feeds messages in conversation order. `at` is when they were acknowledged: now for live ones,
   * or their own timestamp for history, so a page reloaded mid-answer still shows the indicator.
   */
  observe(messages: readonly WidgetMessage[], at: number | 'createdAt'): void {
    for (const m of messages) {
      if (m.direction === 'inbound') {
        const when = at === 'createdAt' ? Date.parse(m.createdAt) : at;
        this.since = Number.isNaN(when) ? null : when;
      } else if (m.deliveryStatus !== 'failed') {
        this.since = null;
      }
    }
  }

  visible(now: number): boolean {
    return this.owner !== 'human' && this.since !== null && now - this.since < this.timeoutMs;
  }

  /** When a visible indicator stops being visible on its own, so the caller can re-render then. */
  expiresAt(): number | null {
    return this.since === null ? null : this.since + this.timeoutMs;
  }
}
