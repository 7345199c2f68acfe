import type { FetchLike, WidgetMessage, WidgetSettings } from './widget-api.js';

interface StreamClient {
  since: number | null;
  controller: ReadableStreamDefaultController<Uint8Array>;
}

/**
 * An in-memory stand-in for the /v1/widget API, for unit tests of the widget's logic (the real API
 * is exercised by chat-session.integration.test.ts). It keeps what the real one guarantees: sends
 * are idempotent on clientMessageId, and the event stream replays everything after `since`.
 */
export class FakeWidgetServer {
  settings: WidgetSettings = { color: '#3b5bdb', greeting: 'Hello from the fake', preChatForm: false };
  owner: 'ai' | 'human' = 'ai';
  offline = false;
  /** Store the next send, then fail the response, as when the network drops after the server acted. */
  loseNextSendResponse = false;
  readonly messages: WidgetMessage[] = [];
  readonly sessions: Record<string, unknown>[] = [];
  readonly sends: { clientMessageId: string; content: string }[] = [];
  readonly streamRequests: (number | null)[] = [];
  private readonly events: { id: number; data: unknown }[] = [];
  private readonly byClientId = new Map<string, string>();
  private clients: StreamClient[] = [];
  private nextId = 1;

  readonly fetch: FetchLike = async (url, init) => {
    if (this.offline) throw new TypeError('Failed to fetch');
    const u = new URL(url);
    const method = init.method ?? 'GET';
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (u.pathname === '/v1/widget/config') return json(200, this.settings);
    if (u.pathname === '/v1/widget/sessions') {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      this.sessions.push(body);
      return json(201, { sessionToken: `tok-${this.sessions.length}`, visitorId: body.visitorId ?? 'visitor-1', contactId: 'c1', conversationId: null });
    }
    if (u.pathname === '/v1/widget/messages' && method === 'GET') return json(200, { conversationId: 'conv', owner: this.owner, messages: this.messages });
    if (u.pathname === '/v1/widget/messages') {
      const { content, clientMessageId } = JSON.parse(String(init.body)) as { content: string; clientMessageId: string };
      this.sends.push({ clientMessageId, content });
      let id = this.byClientId.get(clientMessageId);
      const duplicate = id !== undefined;
      if (!id) {
        id = `m${this.nextId++}`;
        this.byClientId.set(clientMessageId, id);
        this.publish({ id, direction: 'inbound', authorRole: 'customer', content, deliveryStatus: 'received', createdAt: new Date().toISOString() });
      }
      if (this.loseNextSendResponse) {
        this.loseNextSendResponse = false;
        throw new TypeError('network changed');
      }
      return json(202, { messageId: id, conversationId: 'conv', duplicate });
    }
    if (u.pathname === '/v1/widget/events') return this.stream(u.searchParams.get('since'), init.signal ?? undefined);
    return json(404, { error: { code: 'not_found', message: 'no route' } });
  };

  reply(content: string, authorRole: 'ai' | 'agent' = 'ai'): WidgetMessage {
    const m: WidgetMessage = { id: `m${this.nextId++}`, direction: 'outbound', authorRole, content, deliveryStatus: 'sent', createdAt: new Date().toISOString() };
    this.publish(m);
    return m;
  }

  setOwner(owner: 'ai' | 'human'): void {
    this.owner = owner;
    this.emit({ conversation: { id: 'conv', status: 'open', owner, assigneeId: null, channel: 'widget' } });
  }

  /** Network loss: every open stream errors, and requests fail until `offline` is cleared. */
  disconnect(): void {
    this.offline = true;
    for (const c of this.clients) c.controller.error(new TypeError('network lost'));
    this.clients = [];
  }

  get openStreams(): number {
    return this.clients.length;
  }

  private publish(m: WidgetMessage): void {
    const known = this.messages.findIndex((x) => x.id === m.id);
    if (known >= 0) this.messages[known] = m;
    else this.messages.push(m);
    this.emit({ message: m });
  }

  private emit(data: unknown): void {
    const e = { id: this.events.length + 1, data };
    this.events.push(e);
    for (const c of this.clients) c.controller.enqueue(frame(e.id, data));
  }

  private stream(sinceParam: string | null, signal?: AbortSignal): Response {
    const since = sinceParam === null ? null : Number(sinceParam);
    this.streamRequests.push(since);
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const client = { since, controller };
        controller.enqueue(new TextEncoder().encode(`event: ready\ndata: {}\n\n`));
        // Like the real hub, the replay overlaps a little before `since`: clients must dedupe.
        if (since !== null) for (const e of this.events.filter((x) => x.id > since - 2)) controller.enqueue(frame(e.id, e.data));
        this.clients.push(client);
        signal?.addEventListener('abort', () => {
          this.clients = this.clients.filter((c) => c !== client);
          controller.error(new DOMException('aborted', 'AbortError'));
        });
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }
}

const frame = (id: number, data: unknown) => {
  const kind = (data as { message?: unknown }).message ? 'message' : 'conversation';
  return new TextEncoder().encode(`id: ${id}\nevent: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
};
