import { ChatView } from './chat-view.js';
import { MessageTimeline } from './message-timeline.js';
import { randomId } from './random-id.js';
import type { WidgetConfig } from './script-config.js';
import { SessionStore } from './session-store.js';
import { normalizeMessage, WidgetApi, WidgetApiError, type WidgetMessage } from './widget-api.js';

const MAX_AUTO_RETRIES = 4;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 15_000;
const STREAM_REOPEN_MAX_MS = 30_000;

/** Exponential backoff with jitter, so a recovering API is not hit by every open tab at once. */
function backoff(attempt: number, maxMs: number): number {
  const base = Math.min(maxMs, RETRY_BASE_MS * 2 ** attempt);
  return Math.round(base * (0.7 + Math.random() * 0.6));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Glue between the API, the timeline and the view. The message stream and history overlap on
 * purpose (history is refetched on every stream (re)open to cover the gap before subscribing), and
 * the timeline merges by id, so nothing is shown twice.
 */
export class ChatController {
  private readonly store: SessionStore;
  private readonly api: WidgetApi;
  private readonly timeline = new MessageTimeline();
  private readonly view: ChatView;

  private connecting: Promise<void> | null = null;
  private connected = false;
  private historyLoaded = false;
  private stream: EventSource | null = null;
  private streamToken: string | null = null;
  private streamFailed = false;
  private reopenAttempt = 0;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private unread = 0;
  /** Sends go out one at a time so the conversation keeps the visitor's order across retries. */
  private sendQueue: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();

  constructor(config: WidgetConfig, doc: Document) {
    this.store = new SessionStore(config.widgetKey);
    this.api = new WidgetApi(config, this.store);
    this.view = new ChatView(doc, {
      onToggle: (open) => this.setOpen(open),
      onSend: (text) => this.send(text),
      onRetry: (id) => this.enqueueDelivery(id),
      onIdentify: (email) => void this.identify(email),
    });
    this.view.setIdentified(this.store.get().email);
    this.render();
    this.api.onSessionChange(() => {
      if (this.connected) this.openStream();
    });
  }

  mount(parent: HTMLElement): void {
    parent.appendChild(this.view.host);
    // Returning visitors reconnect at once so replies that arrive while the panel is closed raise the
    // unread badge; first-time visitors get a session (and a CRM contact) only when they open chat.
    if (this.store.get().sessionToken) void this.connect();
    window.addEventListener('online', () => this.onOnline());
  }

  setOpen(open: boolean): void {
    this.view.setOpen(open);
    if (!open) return;
    this.unread = 0;
    this.view.setUnread(0);
    void this.connect();
  }

  private connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.connecting ??= (async () => {
      try {
        await this.api.ensureSession();
        this.connected = true;
        this.view.setBanner(null);
        this.openStream();
        await this.refreshHistory();
      } catch (err) {
        console.warn('[switchboard widget] could not start chat', err);
        this.view.setBanner(err instanceof WidgetApiError && !err.retryable ? 'Chat is unavailable right now.' : 'Connecting…');
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  private openStream(): void {
    const token = this.api.token;
    if (!token) return;
    if (this.stream && this.streamToken === token && this.stream.readyState !== EventSource.CLOSED) return;
    this.closeStream();
    const stream = new EventSource(this.api.eventsUrl(token));
    this.stream = stream;
    this.streamToken = token;
    stream.addEventListener('open', () => {
      if (stream !== this.stream) return;
      this.reopenAttempt = 0;
      this.view.setBanner(null);
      // Messages sent while we were disconnected (or before the first subscribe) only exist in history.
      if (this.streamFailed || this.historyLoaded) void this.refreshHistory().catch(() => undefined);
      this.streamFailed = false;
    });
    stream.addEventListener('message', (event) => {
      if (stream !== this.stream) return;
      this.onStreamMessage((event as MessageEvent<string>).data);
    });
    stream.addEventListener('error', () => {
      if (stream !== this.stream) return;
      this.streamFailed = true;
      this.view.setBanner('Reconnecting…');
      // CONNECTING means the browser retries by itself; CLOSED means it gave up, usually on an HTTP
      // error such as 401 for an expired token, which EventSource cannot report to us.
      if (stream.readyState === EventSource.CLOSED) void this.recoverStream(token);
    });
  }

  private closeStream(): void {
    this.stream?.close();
    this.stream = null;
    this.streamToken = null;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
  }

  /** A history call surfaces the HTTP status the stream could not: a 401 there renews the session. */
  private async recoverStream(token: string): Promise<void> {
    try {
      await this.refreshHistory();
    } catch {
      // Still offline or failing; fall through to a delayed reopen.
    }
    if (this.api.token !== token && this.stream?.readyState !== EventSource.CLOSED) return;
    if (this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      this.openStream();
    }, backoff(this.reopenAttempt++, STREAM_REOPEN_MAX_MS));
  }

  private onStreamMessage(data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    const message = normalizeMessage((payload as { message?: unknown } | null)?.message);
    if (message) this.addServerMessages([message]);
  }

  private async refreshHistory(): Promise<void> {
    const history = await this.api.history();
    this.addServerMessages(history.messages);
    this.historyLoaded = true;
  }

  private addServerMessages(messages: WidgetMessage[]): void {
    const countUnread = this.historyLoaded && !this.view.isOpen;
    const added = this.timeline.merge(messages);
    if (countUnread) {
      this.unread += added.filter((m) => m.direction === 'outbound').length;
      this.view.setUnread(this.unread);
    }
    this.render();
  }

  private send(text: string): void {
    const clientMessageId = randomId();
    this.timeline.addPending(clientMessageId, text);
    this.render(true);
    this.enqueueDelivery(clientMessageId);
  }

  private enqueueDelivery(clientMessageId: string): void {
    if (this.queued.has(clientMessageId) || !this.timeline.getPending(clientMessageId)) return;
    this.queued.add(clientMessageId);
    this.timeline.setPendingStatus(clientMessageId, 'sending');
    this.render();
    this.sendQueue = this.sendQueue
      .then(() => this.deliver(clientMessageId))
      .finally(() => this.queued.delete(clientMessageId));
  }

  /** Retries reuse clientMessageId, so a send that reached the server before failing is not doubled. */
  private async deliver(clientMessageId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const pending = this.timeline.getPending(clientMessageId);
      if (!pending) return;
      try {
        const res = await this.api.send(pending.content, clientMessageId);
        this.timeline.confirm(clientMessageId, res.messageId);
        this.render();
        if (!this.connected) void this.connect();
        return;
      } catch (err) {
        const retryable = !(err instanceof WidgetApiError) || err.retryable;
        if (!retryable || attempt >= MAX_AUTO_RETRIES) {
          console.warn('[switchboard widget] message not sent', err);
          this.timeline.setPendingStatus(clientMessageId, 'failed');
          this.render();
          return;
        }
        await sleep(backoff(attempt, RETRY_MAX_MS));
      }
    }
  }

  private async identify(email: string): Promise<void> {
    this.view.setIdentifyState({ busy: true });
    try {
      await this.api.identify({ email });
      this.view.setIdentifyState({ busy: false });
      this.view.setIdentified(email);
      if (!this.connected) await this.connect();
    } catch (err) {
      const invalid = err instanceof WidgetApiError && err.hasFieldError('email');
      const message = invalid ? 'Please enter a valid email address.' : 'Could not save your email, please try again.';
      this.view.setIdentifyState({ busy: false, error: message });
    }
  }

  private onOnline(): void {
    for (const id of this.timeline.failedIds()) this.enqueueDelivery(id);
    if (this.connected && (!this.stream || this.stream.readyState === EventSource.CLOSED)) this.openStream();
    else if (!this.connected && (this.view.isOpen || this.store.get().sessionToken)) void this.connect();
  }

  private render(forceScroll = false): void {
    this.view.render(this.timeline.items(), { forceScroll });
  }
}
