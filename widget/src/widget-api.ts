import type { WidgetConfig } from './script-config.js';
import type { SessionStore } from './session-store.js';

export type MessageDirection = 'inbound' | 'outbound';
export type AuthorRole = 'customer' | 'ai' | 'agent' | 'system';

export interface WidgetMessage {
  id: string;
  direction: MessageDirection;
  authorRole: AuthorRole;
  content: string;
  deliveryStatus: string;
  createdAt: string;
}

export interface SessionResponse {
  sessionToken: string;
  visitorId: string;
  contactId: string;
  conversationId: string | null;
}

/** Who answers the visitor: the AI, or a human who took over. Drives the typing indicator. */
export type ConversationOwner = 'ai' | 'human';

export interface HistoryResponse {
  conversationId: string | null;
  owner: ConversationOwner | null;
  messages: WidgetMessage[];
}

/** The workspace's look and behaviour, public by widget key (GET /v1/widget/config). */
export interface WidgetSettings {
  color: string;
  greeting: string;
  preChatForm: boolean;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SendResponse {
  messageId: string;
  conversationId: string;
  duplicate: boolean;
}

export interface VisitorIdentity {
  name?: string;
  email?: string;
  phone?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** The API's error envelope, plus status 0 for requests that never got an HTTP answer. */
export class WidgetApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'WidgetApiError';
  }

  hasFieldError(field: string): boolean {
    return this.fields.some((f) => f.field === field);
  }

  /** Worth sending again unchanged: the server may not have seen it, or failed transiently. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

const REQUEST_TIMEOUT_MS = 15_000;
const ROLES: readonly AuthorRole[] = ['customer', 'ai', 'agent', 'system'];

/** Server data crosses a network and a version boundary; drop anything the UI cannot render. */
export function normalizeMessage(raw: unknown): WidgetMessage | null {
  if (!raw || typeof raw !== 'object') return null;
  const m = raw as Record<string, unknown>;
  if (typeof m.id !== 'string' || typeof m.content !== 'string') return null;
  const direction: MessageDirection = m.direction === 'inbound' ? 'inbound' : 'outbound';
  const authorRole = ROLES.includes(m.authorRole as AuthorRole)
    ? (m.authorRole as AuthorRole)
    : direction === 'inbound'
      ? 'customer'
      : 'agent';
  return {
    id: m.id,
    direction,
    authorRole,
    content: m.content,
    deliveryStatus: typeof m.deliveryStatus === 'string' ? m.deliveryStatus : 'sent',
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : new Date().toISOString(),
  };
}

/**
 * HTTP client for the /v1/widget API. Owns the session token: any 401 mints a fresh session for the
 * same visitor and replays the call once, so an expired token is invisible to the visitor.
 */
export class WidgetApi {
  private renewing: Promise<string> | null = null;

  constructor(
    private readonly config: WidgetConfig,
    private readonly store: SessionStore,
    // Injected so the same client runs against the real API in Node tests; `fetch` needs its global `this`.
    private readonly fetcher: FetchLike = (url, init) => fetch(url, init),
  ) {}

  get token(): string | null {
    return this.store.get().sessionToken;
  }

  /** Public, before any session: colour, greeting and whether to ask for name and email first. */
  settings(): Promise<WidgetSettings> {
    return this.request<WidgetSettings>('GET', `/v1/widget/config?key=${encodeURIComponent(this.config.widgetKey)}`, {});
  }

  async ensureSession(): Promise<string> {
    return this.token ?? this.renew(null);
  }

  /** Starts (or re-identifies) the visitor with details; the server keeps them on the same contact via visitorId. */
  async identify(identity: VisitorIdentity): Promise<string> {
    const token = await this.createSession(identity);
    this.store.update({ email: identity.email ?? this.store.get().email, name: identity.name ?? this.store.get().name });
    return token;
  }

  history(): Promise<HistoryResponse> {
    return this.authed(async (token) => {
      const res = await this.request<{ conversationId?: unknown; owner?: unknown; messages?: unknown }>('GET', '/v1/widget/messages', { token });
      const messages = Array.isArray(res.messages)
        ? res.messages.map(normalizeMessage).filter((m): m is WidgetMessage => m !== null)
        : [];
      const owner = res.owner === 'ai' || res.owner === 'human' ? res.owner : null;
      return { conversationId: typeof res.conversationId === 'string' ? res.conversationId : null, owner, messages };
    });
  }

  /**
   * Opens the live stream. `since` is the last event id this page saw: the API replays everything
   * after it, so a reconnect misses nothing (and the timeline drops what it already has).
   */
  events(since: number | null, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    return this.authed(async (token) => {
      const query = since === null ? '' : `?since=${since}`;
      let res: Response;
      try {
        res = await this.fetcher(`${this.config.apiUrl}/v1/widget/events${query}`, {
          headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
          signal,
          credentials: 'omit',
          mode: 'cors',
          cache: 'no-store',
        });
      } catch (err) {
        throw new WidgetApiError(0, 'network_error', err instanceof Error ? err.message : 'network error');
      }
      if (!res.ok || !res.body) throw new WidgetApiError(res.status, `http_${res.status}`, res.statusText || 'stream failed');
      return res.body;
    });
  }

  /** clientMessageId makes this idempotent server-side: replays return the original messageId. */
  send(content: string, clientMessageId: string): Promise<SendResponse> {
    return this.authed((token) =>
      this.request<SendResponse>('POST', '/v1/widget/messages', { token, body: { content, clientMessageId } }),
    );
  }

  /** Mints a new token after a 401, sharing one in-flight renewal among concurrent callers. */
  renew(staleToken: string | null): Promise<string> {
    const current = this.token;
    if (current && current !== staleToken) return Promise.resolve(current);
    if (!this.renewing) {
      this.renewing = this.createSession({}).finally(() => {
        this.renewing = null;
      });
    }
    return this.renewing;
  }

  private async authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.ensureSession();
    try {
      return await call(token);
    } catch (err) {
      if (!(err instanceof WidgetApiError) || err.status !== 401) throw err;
      return call(await this.renew(token));
    }
  }

  private async createSession(identity: VisitorIdentity): Promise<string> {
    const { visitorId, email, name } = this.store.get();
    const body = {
      widgetKey: this.config.widgetKey,
      name: identity.name ?? name ?? undefined,
      phone: identity.phone,
      email: identity.email ?? email ?? undefined,
    };
    let res: SessionResponse;
    try {
      res = await this.request<SessionResponse>('POST', '/v1/widget/sessions', { body: { ...body, visitorId: visitorId ?? undefined } });
    } catch (err) {
      // A stored visitorId the server rejects (corrupted storage, a format change) must not lock the
      // visitor out forever: start over as a new visitor.
      const rejectedVisitor = err instanceof WidgetApiError && visitorId && err.hasFieldError('visitorId');
      if (!rejectedVisitor) throw err;
      res = await this.request<SessionResponse>('POST', '/v1/widget/sessions', { body });
    }
    this.store.update({ sessionToken: res.sessionToken, visitorId: res.visitorId });
    return res.sessionToken;
  }

  private async request<T>(method: 'GET' | 'POST', path: string, opts: { token?: string; body?: unknown }): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    // A hung request would leave a message "sending…" forever; a timeout turns it into a retry.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    let res: Response;
    let text: string;
    try {
      res = await this.fetcher(this.config.apiUrl + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: abort.signal,
        credentials: 'omit',
        mode: 'cors',
      });
      text = await res.text();
    } catch (err) {
      throw new WidgetApiError(0, 'network_error', err instanceof Error ? err.message : 'network error');
    } finally {
      clearTimeout(timer);
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // Proxies answer 502/504 with HTML; the status code alone decides what happens next.
    }
    if (!res.ok) {
      const e = (json as { error?: { code?: string; message?: string; requestId?: string; fields?: unknown } } | null)?.error;
      const fields = Array.isArray(e?.fields) ? (e.fields as FieldError[]) : [];
      throw new WidgetApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? res.statusText, e?.requestId, fields);
    }
    return json as T;
  }
}
