import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A local server that speaks the OpenAI chat-completions protocol (also under Groq's /openai/v1
 * prefix): bearer auth, request validation, tool calls, SSE streaming, and the error answers the
 * real services give. The `model` picks the behaviour:
 *   echo          replies "echo: <last user text>"
 *   tool          asks for the first offered tool, then reports the tool's result
 *   rate-limited  answers 429 with Retry-After once per conversation, then like echo
 *   broken        answers 500
 */
export interface FakeOpenAi {
  url: string;
  requests: Array<{ path: string; model: string; stream: boolean }>;
  /** Every request that reached the server, answered or refused. */
  received: number;
  /** Requests refused for their credentials, by the key they presented. */
  unauthorized: string[];
  /** Time spent answering each completed request: the provider's share of a reply's latency. */
  timings: Array<{ lastUser: string; ms: number }>;
  close(): Promise<void>;
}

const error = (message: string, type: string, extra: Record<string, unknown> = {}) => JSON.stringify({ error: { message, type, param: null, code: null, ...extra } });

async function readJson(req: IncomingMessage): Promise<any> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return JSON.parse(raw);
}

export async function startFakeOpenAi(apiKey: string, opts: { latencyMs?: number } = {}): Promise<FakeOpenAi> {
  const timings: FakeOpenAi['timings'] = [];
  const requests: FakeOpenAi['requests'] = [];
  const unauthorized: string[] = [];
  const limited = new Set<string>();
  const fake: FakeOpenAi = { url: '', received: 0, requests, unauthorized, timings, close: () => new Promise((r) => server.close(() => r())) };
  const server: Server = createServer(async (req, res) => {
    const started = performance.now();
    fake.received++;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    if (req.method !== 'POST' || !/^(\/openai)?\/v1\/chat\/completions$/.test(req.url ?? '')) return send(404, error(`Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error'));
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      unauthorized.push(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
      return send(401, error('Incorrect API key provided.', 'invalid_request_error', { code: 'invalid_api_key' }));
    }
    let body: any;
    try {
      body = await readJson(req);
    } catch {
      return send(400, error('We could not parse the JSON body of your request.', 'invalid_request_error'));
    }
    if (typeof body.model !== 'string') return send(400, error("you must provide a model parameter", 'invalid_request_error', { param: 'model' }));
    if (!Array.isArray(body.messages) || body.messages.length === 0 || body.messages.some((m: any) => !['system', 'user', 'assistant', 'tool'].includes(m.role))) {
      return send(400, error("Invalid value for 'messages'.", 'invalid_request_error', { param: 'messages' }));
    }
    requests.push({ path: req.url!, model: body.model, stream: !!body.stream });
    const lastUser = [...body.messages].reverse().find((m: any) => m.role === 'user')?.content ?? '';
    // A model's think time; recorded below, so callers can subtract it.
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    res.once('finish', () => timings.push({ lastUser, ms: performance.now() - started }));
    const last = body.messages[body.messages.length - 1];

    if (body.model === 'broken') return send(500, error('The server had an error while processing your request.', 'server_error'));
    if (body.model === 'rate-limited' && !limited.has(lastUser)) {
      limited.add(lastUser);
      return send(429, error('Rate limit reached for requests', 'requests', { code: 'rate_limit_exceeded' }), { 'retry-after': '1', 'retry-after-ms': '300' });
    }

    let message: Record<string, unknown>;
    let finish = 'stop';
    if (body.model === 'tool' && last.role !== 'tool' && body.tools?.length) {
      const name = body.tools[0].function.name;
      message = { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name, arguments: '{"order_id":"10482"}' } }] };
      finish = 'tool_calls';
    } else if (body.model === 'tool' && last.role === 'tool') {
      message = { role: 'assistant', content: `Order status: ${last.content}` };
    } else {
      message = { role: 'assistant', content: `echo: ${lastUser}` };
    }
    const usage = { prompt_tokens: JSON.stringify(body.messages).length >> 2, completion_tokens: 7, total_tokens: 0 };
    const base = { id: 'chatcmpl-test', object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: body.model };

    if (!body.stream) return send(200, JSON.stringify({ ...base, choices: [{ index: 0, message, finish_reason: finish }], usage }));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null, extra: Record<string, unknown> = {}) =>
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason }], ...extra })}\n\n`);
    if (message.tool_calls) {
      const call = (message.tool_calls as any[])[0];
      chunk({ role: 'assistant', tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
      for (const part of call.function.arguments.match(/.{1,6}/g)) chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] });
    } else {
      for (const word of String(message.content).split(/(?<= )/)) chunk({ content: word });
    }
    chunk({}, finish);
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  fake.url = `http://127.0.0.1:${port}`;
  return fake;
}
