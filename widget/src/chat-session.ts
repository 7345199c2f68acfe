import { MessageTimeline, type TimelineItem } from './message-timeline.js';
import { validatePrechat, type PrechatDetails } from './prechat.js';
import { randomId } from './random-id.js';
import type { WidgetConfig } from './script-config.js';
import type { SessionStore } from './session-store.js';
import { readSse, type SseFrame } from './sse-reader.js';
import { TypingSignal } from './typing-signal.js';
import { normalizeMessage, WidgetApi, WidgetApiError, type FetchLike, type FieldError, type WidgetMessage, type WidgetSettings } from './widget-api.js';

/** Used until (or if never) the workspace's own settings arrive; mirrors the API's defaults. */
export const DEFAULT_SETTINGS: WidgetSettings = { color: '#3b5bdb', greeting: 'Hi! How can we help?', preChatForm: false };

export type ChatPhase = 'idle' | 'prechat' | 'connecting' | 'ready' | 'unavailable';

/** Everything the view needs to draw the chat; a fresh object on every change. */
export interface ChatSnapshot {
  settings: WidgetSettings;
  phase: ChatPhase;
  items: TimelineItem[];
  typing: boolean;
  /** False while the live stream is down (after it was up once). */
  live: boolean;
  /** Replies (AI, agent) that arrived live, ever; the view turns the growth into an unread badge. */
  liveReplies: number;
}

export interface ChatSessionOptions {
  config: WidgetConfig;
  store: SessionStore;
  fetch?: FetchLike;
  retryBaseMs?: number;
  retryMaxMs?: number;
  typingTimeoutMs?: number;
}

const MAX_SERVER_RETRIES = 4;
const HISTORY_FALLBACK_MS = 4_000;

/**
 * The widget without its DOM: session, history, the live stream, the outbox and the typing signal.
 * Invariants: every message is shown once (all sources merge by id into the timeline); a reconnect
 * resumes the stream after the last event id seen, and the first connect fetches history after the
 * stream is subscribed, so nothing falls in between; a visitor's message keeps its client id across
 * every retry and reload until the API acknowledges it, and the API dedupes on that id.
 */
export class ChatSession {
  readonly api: WidgetApi;
  private readonly timeline = new MessageTimeline();
  private readonly typing: TypingSignal;
  private readonly listeners = new Set<(s: ChatSnapshot) => void>();
  private settings = DEFAULT_SETTINGS;
  private phase: ChatPhase = 'idle';
  private live = true;
  private liveReplies = 0;
  private lastEventId: number | null = null;
  private historyLoaded = false;
  private connecting: Promise<void> | null = null;
  private streaming = false;
  private stopped = false;
  private streamAbort: AbortController | null = null;
  private wakers = new Set<() => void>();
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private sendQueue: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();

  constructor(private readonly opts: ChatSessionOptions) {
    this.api = new WidgetApi(opts.config, opts.store, opts.fetch);
    this.typing = new TypingSignal(opts.typingTimeoutMs);
    // Messages written before a reload (or a crash) that the API never acknowledged.
    for (const e of opts.store.get().outbox) this.timeline.addPending(e.clientMessageId, e.content, e.createdAt);
  }

  subscribe(listener: (s: ChatSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.snapshot());
    return () => this.listeners.delete(listener);
  }

  snapshot(): ChatSnapshot {
    return { settings: this.settings, phase: this.phase, items: this.timeline.items(), typing: this.typing.visible(Date.now()), live: this.live, liveReplies: this.liveReplies };
  }

  /** A returning visitor (stored session) reconnects at once; a new one only when they open the chat. */
  get hasSession(): boolean {
    return this.opts.store.get().sessionToken !== null;
  }

  async loadSettings(): Promise<void> {
    try {
      this.settings = await this.api.settings();
    } catch (err) {
      // An unknown key will not start working by itself; anything else falls back to the defaults.
      if (err instanceof WidgetApiError && err.status === 404) this.phase = 'unavailable';
    }
    this.emit();
  }

  /** Opens the conversation, or asks for name and email first when the workspace wants them. */
  start(): Promise<void> {
    if (this.phase === 'unavailable') return Promise.resolve();
    if (!this.hasSession && this.settings.preChatForm) {
      this.phase = 'prechat';
      this.emit();
      return Promise.resolve();
    }
    return this.connect();
  }

  /** Returns field errors (nothing was sent), or an empty list once the visitor is in the chat. */
  async submitPrechat(details: PrechatDetails): Promise<FieldError[]> {
    const errors = validatePrechat(details);
    if (errors.length) return errors;
    try {
      await this.api.identify({ name: details.name.trim(), email: details.email.trim() });
    } catch (err) {
      if (err instanceof WidgetApiError && err.fields.length) return [...err.fields];
      return [{ field: 'form', message: 'Could not start the chat, please try again.' }];
    }
    await this.connect();
    return [];
  }

  send(text: string): void {
    const content = text.trim();
    if (!content) return;
    const entry = { clientMessageId: randomId(), content, createdAt: new Date().toISOString() };
    this.timeline.addPending(entry.clientMessageId, entry.content, entry.createdAt);
    this.opts.store.update({ outbox: [...this.opts.store.get().outbox, entry] });
    this.enqueue(entry.clientMessageId);
  }

  /** The visitor tapped a failed message. */
  retry(clientMessageId: string): void {
    this.enqueue(clientMessageId);
  }

  /** The browser says the network is back: stop waiting out backoffs. */
  online(): void {
    for (const wake of [...this.wakers]) wake();
    for (const id of this.timeline.failedIds()) this.enqueue(id);
  }

  /** Simulates or reacts to a dropped connection: the stream loop reconnects from the last event id. */
  dropStream(): void {
    this.streamAbort?.abort();
  }

  stop(): void {
    this.stopped = true;
    this.streamAbort?.abort();
    if (this.typingTimer) clearTimeout(this.typingTimer);
    for (const wake of [...this.wakers]) wake();
  }

  private connect(): Promise<void> {
    if (this.phase === 'ready' || this.phase === 'unavailable') return Promise.resolve();
    this.connecting ??= this.establish().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async establish(): Promise<void> {
    this.phase = 'connecting';
    this.emit();
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) return;
      try {
        await this.api.ensureSession();
        break;
      } catch (err) {
        if (err instanceof WidgetApiError && !err.retryable) {
          console.warn('[switchboard widget] could not start chat', err);
          this.phase = 'unavailable';
          this.emit();
          return;
        }
        await this.wait(this.backoff(attempt));
      }
    }
    this.phase = 'ready';
    for (const e of this.opts.store.get().outbox) this.enqueue(e.clientMessageId);
    if (!this.streaming) void this.runStream();
    // A proxy that buffers event streams would hold back `ready` (and so the history) indefinitely.
    setTimeout(() => {
      if (!this.historyLoaded && !this.stopped) void this.loadHistory();
    }, HISTORY_FALLBACK_MS);
    this.emit();
  }

  private async runStream(): Promise<void> {
    this.streaming = true;
    for (let attempt = 0; !this.stopped; ) {
      const abort = new AbortController();
      this.streamAbort = abort;
      const since = this.lastEventId;
      try {
        const body = await this.api.events(since, abort.signal);
        await readSse(body, (frame) => {
          attempt = 0;
          this.onFrame(frame, since);
        });
      } catch (err) {
        if (err instanceof WidgetApiError && !err.retryable && err.status !== 401) console.warn('[switchboard widget] live stream refused', err);
      }
      if (this.stopped) break;
      this.setLive(false);
      // attempt is reset by every frame, so a stream that ran for a while comes back after about a second.
      await this.wait(this.backoff(attempt++));
    }
    this.streaming = false;
  }

  private onFrame(frame: SseFrame, since: number | null): void {
    if (frame.event === 'ready') {
      this.setLive(true);
      // Without a resume point the replay is empty, so history covers what came before the subscribe.
      if (since === null) void this.loadHistory();
      return;
    }
    const id = frame.id === null ? NaN : Number(frame.id);
    if (Number.isSafeInteger(id)) this.lastEventId = Math.max(this.lastEventId ?? 0, id);
    let payload: { message?: unknown; conversation?: { owner?: unknown } } | null = null;
    try {
      payload = JSON.parse(frame.data);
    } catch {
      return;
    }
    const message = normalizeMessage(payload?.message);
    if (message) this.addMessages([message], Date.now());
    const owner = payload?.conversation?.owner;
    if (owner === 'ai' || owner === 'human') {
      this.typing.setOwner(owner);
      this.emit();
    }
  }

  private async loadHistory(): Promise<void> {
    try {
      const history = await this.api.history();
      this.typing.setOwner(history.owner);
      this.historyLoaded = true;
      this.addMessages(history.messages, 'createdAt');
    } catch (err) {
      console.warn('[switchboard widget] could not load history', err);
      // The stream is up but its start is unknown: reopen it so the next `ready` tries again.
      if (this.lastEventId === null) this.dropStream();
    }
  }

  private addMessages(messages: WidgetMessage[], at: number | 'createdAt'): void {
    const added = this.timeline.merge(messages);
    this.typing.observe(added, at);
    if (at !== 'createdAt') this.liveReplies += added.filter((m) => m.direction === 'outbound' && m.authorRole !== 'system').length;
    this.emit();
  }

  private enqueue(clientMessageId: string): void {
    if (this.queued.has(clientMessageId) || !this.timeline.getPending(clientMessageId)) return;
    this.queued.add(clientMessageId);
    this.timeline.setPendingStatus(clientMessageId, 'sending');
    this.emit();
    // One at a time, so the conversation keeps the visitor's order across retries.
    this.sendQueue = this.sendQueue.then(() => this.deliver(clientMessageId)).finally(() => this.queued.delete(clientMessageId));
  }

  private async deliver(clientMessageId: string): Promise<void> {
    for (let serverFailures = 0, attempt = 0; !this.stopped; attempt++) {
      const pending = this.timeline.getPending(clientMessageId);
      if (!pending) return;
      try {
        const res = await this.api.send(pending.content, clientMessageId);
        const fresh = !this.timeline.has(res.messageId);
        this.timeline.confirm(clientMessageId, res.messageId);
        this.forget(clientMessageId);
        if (fresh) this.typing.observe([{ id: res.messageId, direction: 'inbound', authorRole: 'customer', content: pending.content, deliveryStatus: 'received', createdAt: pending.createdAt }], Date.now());
        this.emit();
        return;
      } catch (err) {
        const retryable = !(err instanceof WidgetApiError) || err.retryable;
        const offline = err instanceof WidgetApiError && err.status === 0;
        if (!offline) serverFailures++;
        if (!retryable || serverFailures > MAX_SERVER_RETRIES) {
          console.warn('[switchboard widget] message not sent', err);
          this.timeline.setPendingStatus(clientMessageId, 'failed');
          // A refused message must not come back after a reload; a failing server's may.
          if (!retryable) this.forget(clientMessageId);
          this.emit();
          return;
        }
        // Offline: keep it queued (same client id) until the network returns; online() cuts the wait short.
        this.timeline.setPendingStatus(clientMessageId, offline ? 'queued' : 'sending');
        this.emit();
        await this.wait(this.backoff(attempt));
      }
    }
  }

  private forget(clientMessageId: string): void {
    this.opts.store.update({ outbox: this.opts.store.get().outbox.filter((e) => e.clientMessageId !== clientMessageId) });
  }

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.emit();
  }

  /** Exponential backoff with jitter, so a recovering API is not hit by every open tab at once. */
  private backoff(attempt: number): number {
    const base = Math.min(this.opts.retryMaxMs ?? 15_000, (this.opts.retryBaseMs ?? 1_000) * 2 ** attempt);
    return Math.round(base * (0.7 + Math.random() * 0.6));
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private emit(): void {
    const snapshot = this.snapshot();
    // Re-render when a visible typing indicator runs out, since no event will say so.
    if (this.typingTimer) clearTimeout(this.typingTimer);
    const expires = this.typing.expiresAt();
    if (snapshot.typing && expires !== null) this.typingTimer = setTimeout(() => this.emit(), Math.max(0, expires - Date.now()) + 5);
    for (const listener of this.listeners) listener(snapshot);
  }
}
