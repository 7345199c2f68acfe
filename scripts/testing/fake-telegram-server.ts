import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A local server that speaks the Telegram Bot API subset Switchboard uses, at `/bot<token>/<method>`
 * (JSON, form or query parameters, as the real one accepts): sendMessage, getMe, getWebhookInfo and
 * setWebhook. It answers as Telegram does, `{ ok: true, result }` or `{ ok: false, error_code,
 * description, parameters? }`:
 *   another bot's token            401 Unauthorized
 *   a malformed token              404 Not Found
 *   a chat in `blocked`            403 Forbidden: bot was blocked by the user
 *   a chat in `unknownChats`       400 Bad Request: chat not found
 *   `failNext('rate-limit', n, s)` 429 Too Many Requests with parameters.retry_after = s
 *   `failNext('server-error')`     500 Internal Server Error
 *   an empty or too long text      400, as Telegram words it
 */
export interface FakeTelegram {
  url: string;
  botToken: string;
  /** Accepted messages, in order. */
  sent: Array<{ chatId: string; text: string; messageId: number }>;
  /** Every sendMessage that reached the server, with the status it got. */
  attempts: Array<{ chatId: string | undefined; status: number }>;
  blocked: Set<string>;
  unknownChats: Set<string>;
  webhook: { url: string; secretToken?: string };
  failNext(kind: 'rate-limit' | 'server-error', times?: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

async function params(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const fromQuery = Object.fromEntries(url.searchParams);
  const type = req.headers['content-type'] ?? '';
  if (!raw) return fromQuery;
  if (type.includes('application/json')) return { ...fromQuery, ...(JSON.parse(raw) as Record<string, unknown>) };
  if (type.includes('application/x-www-form-urlencoded')) return { ...fromQuery, ...Object.fromEntries(new URLSearchParams(raw)) };
  return fromQuery;
}

export async function startFakeTelegram(opts: { botToken: string; username?: string }): Promise<FakeTelegram> {
  const failures: Array<{ kind: 'rate-limit' | 'server-error'; retryAfter: number }> = [];
  const nextId = new Map<string, number>();
  const botId = Number(opts.botToken.split(':')[0]);
  const state = { sent: [] as FakeTelegram['sent'], attempts: [] as FakeTelegram['attempts'], blocked: new Set<string>(), unknownChats: new Set<string>(), webhook: { url: '' } as FakeTelegram['webhook'] };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, description: string, parameters?: Record<string, unknown>) => reply(res, status, { ok: false, error_code: status, description, ...(parameters && { parameters }) });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://telegram.local');
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!m || !/^\d+:[\w-]+$/.test(m[1])) return fail(res, 404, 'Not Found');
    if (m[1] !== opts.botToken) return fail(res, 401, 'Unauthorized');
    let p: Record<string, unknown>;
    try {
      p = await params(req, url);
    } catch {
      return fail(res, 400, "Bad Request: can't parse JSON object");
    }
    const method = m[2];
    if (method === 'getMe') return reply(res, 200, { ok: true, result: { id: botId, is_bot: true, first_name: 'Northwind', username: opts.username ?? 'northwind_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } });
    if (method === 'getWebhookInfo') return reply(res, 200, { ok: true, result: { url: state.webhook.url, has_custom_certificate: false, pending_update_count: 0 } });
    if (method === 'setWebhook') {
      if (typeof p.url !== 'string' || !p.url.startsWith('https://')) return fail(res, 400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
      state.webhook.url = p.url;
      state.webhook.secretToken = typeof p.secret_token === 'string' ? p.secret_token : undefined;
      return reply(res, 200, { ok: true, result: true, description: 'Webhook was set' });
    }
    if (method !== 'sendMessage') return fail(res, 404, 'Not Found: method not found');

    const chatId = p.chat_id === undefined || p.chat_id === '' ? undefined : String(p.chat_id);
    const refuse = (status: number, description: string, parameters?: Record<string, unknown>) => {
      state.attempts.push({ chatId, status });
      fail(res, status, description, parameters);
    };
    if (!chatId) return refuse(400, 'Bad Request: chat_id is empty');
    const text = typeof p.text === 'string' ? p.text : '';
    if (!text.trim()) return refuse(400, 'Bad Request: message text is empty');
    if ([...text].length > 4096) return refuse(400, 'Bad Request: message is too long');
    const failure = failures.shift();
    if (failure?.kind === 'rate-limit') return refuse(429, `Too Many Requests: retry after ${failure.retryAfter}`, { retry_after: failure.retryAfter });
    if (failure?.kind === 'server-error') return refuse(500, 'Internal Server Error');
    if (state.blocked.has(chatId)) return refuse(403, 'Forbidden: bot was blocked by the user');
    if (state.unknownChats.has(chatId)) return refuse(400, 'Bad Request: chat not found');
    const messageId = (nextId.get(chatId) ?? 100) + 1;
    nextId.set(chatId, messageId);
    state.sent.push({ chatId, text, messageId });
    state.attempts.push({ chatId, status: 200 });
    return reply(res, 200, {
      ok: true,
      result: { message_id: messageId, from: { id: botId, is_bot: true, first_name: 'Northwind', username: opts.username ?? 'northwind_bot' }, chat: { id: Number(chatId), type: 'private' }, date: Math.floor(Date.now() / 1000), text },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => fail(res, 500, 'Internal Server Error'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    botToken: opts.botToken,
    ...state,
    failNext(kind, times = 1, retryAfterSeconds = 1) {
      for (let i = 0; i < times; i++) failures.push({ kind, retryAfter: retryAfterSeconds });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
