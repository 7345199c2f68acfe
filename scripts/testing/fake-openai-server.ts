import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A local server that speaks the OpenAI chat-completions protocol (also under Groq's /openai/v1
 * prefix): bearer auth, request validation, tool calls, SSE streaming, and the error answers the
 * real services give. The `model` picks the behaviour:
 *   echo          replies "echo: <last user text>"
 *   tool          asks for the first offered tool, then reports the tool's result
 *   rate-limited  answers 429 with Retry-After once per conversation, then like echo
 *   broken        answers 500
 *   obedient      a compromised model: does whatever the customer's text asks (calls the tools it
 *                 names, repeats its system prompt, makes up other customers' details), so tests
 *                 and the red-team run measure the platform's defences rather than a model's manners
 * It also serves `POST /v1/embeddings` (see `embeddings` below).
 */
export interface FakeOpenAi {
  url: string;
  requests: Array<{ path: string; model: string; stream: boolean }>;
  /** Embedding requests that were answered: the model and how many inputs each carried. */
  embeddingRequests: Array<{ model: string; inputs: number }>;
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

const EMBEDDING_MODELS: Record<string, { dims: number; shortenable: boolean }> = {
  'text-embedding-3-small': { dims: 1536, shortenable: true },
  'text-embedding-3-large': { dims: 3072, shortenable: true },
  'text-embedding-ada-002': { dims: 1536, shortenable: false },
};

/** The `obedient` model: follows instructions found in the customer's text, as an injected model would. */
function obey(body: any, last: any): Record<string, unknown> {
  const system = String(body.messages.find((m: any) => m.role === 'system')?.content ?? '');
  if (last.role === 'tool') return { role: 'assistant', content: `Done. ${body.messages.filter((m: any) => m.role === 'tool').map((m: any) => m.content).join(' ')}` };
  const text = String([...body.messages].reverse().find((m: any) => m.role === 'user')?.content ?? '');
  const u = text.toLowerCase();
  const offered = new Set<string>((body.tools ?? []).map((t: any) => t.function.name));
  const calls: Array<{ name: string; args: Record<string, unknown> }> = [];
  const number = /(?:order\s*#?\s*|#)([a-z0-9-]*\d{3,}[a-z0-9-]*)/i.exec(text)?.[1] ?? /\b\d{3,}\b/.exec(text)?.[0];
  const email = /[\w.+-]+@[\w-]+\.[\w.]+/.exec(text)?.[0];
  if (/refund/.test(u)) calls.push({ name: 'issue_refund', args: { orderNumber: number ?? '9999', amount: Number(/(\d+(?:\.\d+)?)/.exec(u.replace(/order\s*#?\s*\d+/g, ''))?.[1] ?? 500), currency: 'EUR' } });
  if (/(list|export|all)\b.*\b(customers|contacts)|phone numbers/.test(u)) calls.push({ name: 'export_contacts', args: {} });
  if (/look ?up|orders? of|where is (my )?order/.test(u)) calls.push({ name: 'lookup_order', args: { orderNumber: email && !number ? email : (number ?? 'unknown') } });
  const newEmail = /email to ([\w.+-]+@[\w-]+\.[\w.]+)/.exec(u)?.[1];
  if (newEmail) calls.push({ name: 'update_contact', args: { email: newEmail } });
  if (/ticket/.test(u)) calls.push({ name: 'create_ticket', args: { subject: text.slice(0, 80), tenant: 'acme-corp' } });
  if (/merge/.test(u)) calls.push({ name: 'merge_contacts', args: {} });
  if (/\btag\b/.test(u)) calls.push({ name: 'add_tag', args: { tag: /tag (?:me |this )?(?:as |with )?['"]?([\w-]+)/.exec(u)?.[1] ?? 'vip' } });
  if (/human|agent|teammate/.test(u)) calls.push({ name: 'handoff', args: { reason: 'asked' } });
  const wanted = calls.filter((c) => offered.has(c.name));
  if (wanted.length) {
    return { role: 'assistant', content: null, tool_calls: wanted.map((c, i) => ({ id: `call_${i + 1}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })) };
  }
  if (/system prompt|instructions|repeat the text|you are/.test(u)) return { role: 'assistant', content: `Sure. ${system}` };
  if (/customers|phone|mila/.test(u)) return { role: 'assistant', content: 'Our customers include Mila Jansen (mila.jansen@example.com, +31 6 11112222).' };
  if (/poem|swear|insult/.test(u)) return { role: 'assistant', content: 'Roses are red, the CEO is a shit, and that is the fucking end of it.' };
  return { role: 'assistant', content: `echo: ${text}` };
}

/** A deterministic stand-in for a model: a hashed bag of words, so texts sharing words are close. */
function fakeVector(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    v[(h >>> 0) % dims] += 1;
  }
  v[0] += 0.01; // no zero vectors, as with a real model
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  return v.map((x) => x / norm);
}

/**
 * `POST /v1/embeddings` as OpenAI answers it: `input` is a non-empty string or an array of at most
 * 2048 non-empty strings (token arrays are accepted too), `dimensions` only on the v3 models,
 * `encoding_format` float or base64 (little-endian float32, what the SDK asks for by default), an
 * unknown model is a 404, and usage counts prompt tokens (about four characters each here).
 */
function embeddings(body: any): { status: number; body: string; inputs: number } {
  const bad = (message: string, param: string) => ({ status: 400, body: error(message, 'invalid_request_error', { param }), inputs: 0 });
  const spec = EMBEDDING_MODELS[body.model];
  if (!spec) return { status: 404, body: error(`The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', { code: 'model_not_found' }), inputs: 0 };
  if (body.input === undefined) return bad("'input' is a required property", 'input');
  const isTokens = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every((t) => Number.isInteger(t));
  const inputs: unknown[] = typeof body.input === 'string' || isTokens(body.input) ? [body.input] : Array.isArray(body.input) ? body.input : [];
  if (inputs.length === 0 || inputs.length > 2048 || inputs.some((x) => !(typeof x === 'string' && x.length > 0) && !isTokens(x))) {
    return bad("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input');
  }
  let dims = spec.dims;
  if (body.dimensions !== undefined) {
    if (!spec.shortenable) return bad('This model does not support specifying dimensions.', 'dimensions');
    if (!Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > spec.dims) return bad(`Invalid value for 'dimensions' = ${body.dimensions}.`, 'dimensions');
    dims = body.dimensions;
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') return bad("Invalid value for 'encoding_format': expected 'float' or 'base64'.", 'encoding_format');
  const texts = inputs.map((x) => (typeof x === 'string' ? x : (x as number[]).join(' ')));
  const data = texts.map((text, index) => {
    const v = fakeVector(text, dims);
    const embedding = format === 'float' ? v : Buffer.from(new Float32Array(v).buffer).toString('base64');
    return { object: 'embedding', index, embedding };
  });
  const tokens = texts.reduce((a, t) => a + Math.max(1, Math.ceil(t.length / 4)), 0);
  return { status: 200, body: JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }), inputs: texts.length };
}

export async function startFakeOpenAi(apiKey: string, opts: { latencyMs?: number } = {}): Promise<FakeOpenAi> {
  const timings: FakeOpenAi['timings'] = [];
  const requests: FakeOpenAi['requests'] = [];
  const unauthorized: string[] = [];
  const limited = new Set<string>();
  const embeddingRequests: FakeOpenAi['embeddingRequests'] = [];
  const fake: FakeOpenAi = { url: '', received: 0, requests, embeddingRequests, unauthorized, timings, close: () => new Promise((r) => server.close(() => r())) };
  const server: Server = createServer(async (req, res) => {
    const started = performance.now();
    fake.received++;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    const isEmbeddings = req.url === '/v1/embeddings';
    if (req.method !== 'POST' || (!isEmbeddings && !/^(\/openai)?\/v1\/chat\/completions$/.test(req.url ?? ''))) return send(404, error(`Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error'));
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
    if (isEmbeddings) {
      const answer = embeddings(body);
      if (answer.status === 200) embeddingRequests.push({ model: body.model, inputs: answer.inputs });
      return send(answer.status, answer.body);
    }
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
    } else if (body.model === 'obedient') {
      message = obey(body, last);
      if (message.tool_calls) finish = 'tool_calls';
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
