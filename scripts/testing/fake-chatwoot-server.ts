import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server that speaks the parts of Chatwoot's application API the bridge uses, as Chatwoot
 * answers them: `api_access_token` header auth (401 `{ error: 'Invalid Access Token' }`), account
 * membership, conversations by display id (404 `{ error: 'Resource could not be found' }`), message
 * creation (422 on an empty message), and the profile. Conversations are created on first use as
 * `pending` with nobody assigned unless set otherwise.
 */
export interface FakeChatwoot {
  url: string;
  token: string;
  accountId: number;
  /** Messages the API accepted, in order. */
  posted: Array<{ conversationId: number; content: string; messageType: string; private: boolean; id: number }>;
  /** Every request, answered or refused. */
  requests: Array<{ method: string; path: string; status: number }>;
  setConversation(id: number, state: { status?: 'open' | 'pending' | 'resolved' | 'snoozed'; assignee?: { id: number; name: string } | null }): void;
  /** The next `times` requests matching `method path-prefix` answer `status` with a Chatwoot-style body. */
  failNext(status: number, times?: number, match?: { method?: string; pathIncludes?: string }): void;
  close(): Promise<void>;
}

interface Conversation {
  id: number;
  status: 'open' | 'pending' | 'resolved' | 'snoozed';
  assignee: { id: number; name: string } | null;
}

const ERRORS: Record<number, string> = { 401: 'Invalid Access Token', 404: 'Resource could not be found', 429: 'Too many requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

export async function startFakeChatwoot(opts: { token?: string; accountId?: number } = {}): Promise<FakeChatwoot> {
  const token = opts.token ?? 'cw-user-token-0123456789';
  const accountId = opts.accountId ?? 1;
  const conversations = new Map<number, Conversation>();
  const posted: FakeChatwoot['posted'] = [];
  const requests: FakeChatwoot['requests'] = [];
  const failures: Array<{ status: number; left: number; method?: string; pathIncludes?: string }> = [];
  let nextMessageId = 5000;

  const conversation = (id: number) => {
    let c = conversations.get(id);
    if (!c) conversations.set(id, (c = { id, status: 'pending', assignee: null }));
    return c;
  };
  const view = (c: Conversation) => ({
    id: c.id,
    account_id: accountId,
    inbox_id: 1,
    status: c.status,
    messages: [],
    meta: { sender: { id: 1, type: 'contact' }, assignee: c.assignee && { ...c.assignee, available_name: c.assignee.name, availability_status: 'online' }, team: null, hmac_verified: false },
  });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, body: unknown) => {
      requests.push({ method: req.method ?? '', path, status });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    let raw = '';
    for await (const chunk of req) raw += chunk;

    const failure = failures.find((f) => f.left > 0 && (!f.method || f.method === req.method) && (!f.pathIncludes || path.includes(f.pathIncludes)));
    if (failure) {
      failure.left--;
      return send(failure.status, { error: ERRORS[failure.status] ?? 'error' });
    }
    if (req.headers.api_access_token !== token) return send(401, { error: 'Invalid Access Token' });

    if (req.method === 'GET' && path === '/api/v1/profile') {
      return send(200, { id: 7, name: 'Bridge User', email: 'bridge@example.com', accounts: [{ id: accountId, name: 'Acme', role: 'administrator' }] });
    }
    const m = /^\/api\/v1\/accounts\/(\d+)\/conversations\/(\d+)(\/messages)?$/.exec(path);
    if (!m) return send(404, { error: 'Resource could not be found' });
    if (Number(m[1]) !== accountId) return send(401, { error: 'You are not authorized to access this account' });
    const conv = conversation(Number(m[2]));
    if (req.method === 'GET' && !m[3]) return send(200, view(conv));
    if (req.method === 'POST' && m[3]) {
      let body: { content?: unknown; message_type?: unknown; private?: unknown };
      try {
        body = JSON.parse(raw);
      } catch {
        return send(400, { error: 'Invalid JSON' });
      }
      if (typeof body.content !== 'string' || !body.content.trim()) return send(422, { message: "Content can't be blank" });
      const id = nextMessageId++;
      const messageType = typeof body.message_type === 'string' ? body.message_type : 'outgoing';
      posted.push({ conversationId: conv.id, content: body.content, messageType, private: body.private === true, id });
      return send(200, { id, content: body.content, account_id: accountId, inbox_id: 1, conversation_id: conv.id, message_type: messageType === 'outgoing' ? 1 : 0, content_type: 'text', private: body.private === true, created_at: Math.floor(Date.now() / 1000), sender: { id: 7, name: 'Bridge User', type: 'user' } });
    }
    return send(404, { error: 'Resource could not be found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    accountId,
    posted,
    requests,
    setConversation(id, state) {
      const c = conversation(id);
      if (state.status) c.status = state.status;
      if (state.assignee !== undefined) c.assignee = state.assignee;
    },
    failNext(status, times = 1, match = {}) {
      failures.push({ status, left: times, ...match });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
