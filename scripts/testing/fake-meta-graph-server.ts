import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A local server that speaks the Instagram Graph API's messaging subset: `POST /v21.0/<ig user
 * id>/messages` (also `/me/messages`) and `GET /v21.0/me?fields=…`, with the access token as a
 * bearer header or `access_token` query parameter, and Meta's error bodies
 * (`{ error: { message, type, code, error_subcode, fbtrace_id } }`):
 *   a bad token                     400 OAuthException 190
 *   a recipient in `outsideWindow`  403 IGApiException 10/2534022 ("outside of allowed window")
 *   a recipient in `unavailable`    400 551 ("This person isn't available right now.")
 *   `failNext('rate-limit')`        400 code 4, is_transient ("Application request limit reached")
 *   `failNext('server-error')`      500 code 2, is_transient
 *   a missing recipient or text     400 code 100
 * Message ids look like Instagram's (`aWdfZAG…`).
 */
export interface FakeMetaGraph {
  url: string;
  accessToken: string;
  igUserId: string;
  username: string;
  /** Accepted sends, in order. */
  sent: Array<{ igUserId: string; recipientId: string; text: string; messageId: string }>;
  /** Every send attempt that reached the server, accepted or refused. */
  attempts: Array<{ recipientId: string | undefined; status: number }>;
  outsideWindow: Set<string>;
  unavailable: Set<string>;
  /** The next `times` sends fail this way, then sends succeed again. */
  failNext(kind: 'rate-limit' | 'server-error', times?: number): void;
  close(): Promise<void>;
}

const trace = () => randomBytes(8).toString('base64url');
const graphError = (message: string, type: string, code: number, extra: Record<string, unknown> = {}) => ({ error: { message, type, code, ...extra, fbtrace_id: trace() } });

export async function startFakeMetaGraph(opts: { accessToken: string; igUserId: string; username?: string }): Promise<FakeMetaGraph> {
  const failures: Array<'rate-limit' | 'server-error'> = [];
  const appScopedId = `2${opts.igUserId.slice(-15).padStart(15, '0')}`;
  const state = {
    sent: [] as FakeMetaGraph['sent'],
    attempts: [] as FakeMetaGraph['attempts'],
    outsideWindow: new Set<string>(),
    unavailable: new Set<string>(),
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    const invalidToken = (body as { error?: { code?: number } }).error?.code === 190;
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...(invalidToken && { 'www-authenticate': 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token"' }) });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://graph.local');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('access_token');
    if (token !== opts.accessToken) {
      return reply(res, 400, graphError(token ? 'Invalid OAuth access token - Cannot parse access token' : 'An active access token must be used to query information about the current user.', 'OAuthException', token ? 190 : 2500));
    }
    const path = /^\/v\d+\.\d+(\/.*)$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && path === '/me') {
      const fields = (url.searchParams.get('fields') ?? 'id').split(',');
      // As with Instagram Login: `id` is app-scoped, `user_id` the professional account id webhooks carry.
      const me: Record<string, string> = { id: appScopedId, user_id: opts.igUserId, username: opts.username ?? 'northwind' };
      return reply(res, 200, { ...Object.fromEntries(fields.filter((f) => f in me).map((f) => [f, me[f]])), id: appScopedId });
    }
    const send = /^\/(me|\d+)\/messages$/.exec(path ?? '');
    if (req.method !== 'POST' || !send) {
      return reply(res, 400, graphError(`Unsupported ${req.method?.toLowerCase()} request. Object with ID '${path}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 'GraphMethodException', 100, { error_subcode: 33 }));
    }
    if (send[1] !== 'me' && send[1] !== opts.igUserId) {
      return reply(res, 400, graphError('(#100) The access token does not belong to this Instagram account', 'IGApiException', 100));
    }
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return reply(res, 400, graphError('(#100) Invalid JSON body', 'IGApiException', 100));
    }
    const recipientId: string | undefined = typeof body?.recipient?.id === 'string' ? body.recipient.id : undefined;
    const refuse = (status: number, err: unknown) => {
      state.attempts.push({ recipientId, status });
      reply(res, status, err);
    };
    if (!recipientId) return refuse(400, graphError('(#100) The parameter recipient is required', 'IGApiException', 100));
    if (typeof body?.message?.text !== 'string' || !body.message.text) return refuse(400, graphError('(#100) Param message must be non-empty', 'IGApiException', 100));
    const failure = failures.shift();
    if (failure === 'rate-limit') return refuse(400, graphError('(#4) Application request limit reached', 'IGApiException', 4, { is_transient: true }));
    if (failure === 'server-error') return refuse(500, graphError('An unexpected error has occurred. Please retry your request later.', 'OAuthException', 2, { is_transient: true }));
    if (state.outsideWindow.has(recipientId)) return refuse(403, graphError('This message is sent outside of allowed window.', 'IGApiException', 10, { error_subcode: 2534022 }));
    if (state.unavailable.has(recipientId)) return refuse(400, graphError("This person isn't available right now.", 'IGApiException', 551, { error_subcode: 1545041 }));
    const messageId = `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(24).toString('base64url')}`;
    state.sent.push({ igUserId: opts.igUserId, recipientId, text: body.message.text, messageId });
    state.attempts.push({ recipientId, status: 200 });
    return reply(res, 200, { recipient_id: recipientId, message_id: messageId });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => reply(res, 500, graphError(String(err), 'FakeServerError', 1)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken: opts.accessToken,
    igUserId: opts.igUserId,
    username: opts.username ?? 'northwind',
    ...state,
    failNext(kind, times = 1) {
      for (let i = 0; i < times; i++) failures.push(kind);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
