import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../../../scripts/testing/fake-openai-server.js';
import { createProvider, withFallback } from './create-provider.js';
import { ProviderError, type ToolSpec } from './types.js';

const KEY = 'sk-test-local-0000';
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi(KEY);
});
afterAll(async () => fake?.close());

const openai = (model: string, apiKey = KEY) => createProvider({ kind: 'openai', apiKey, baseUrl: `${fake.url}/v1`, model, timeoutMs: 5000 });
const groq = (model: string) => createProvider({ kind: 'groq', apiKey: KEY, baseUrl: fake.url, model, timeoutMs: 5000 });
const LOOKUP: ToolSpec = { name: 'lookup_order', description: 'Look up an order', parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] } };

describe('LLM providers over their official SDKs', () => {
  it('completes a chat with OpenAI and with Groq, reporting token usage', async () => {
    const a = await openai('echo').chat({ messages: [{ role: 'user', content: 'hello' }] });
    expect(a).toMatchObject({ provider: 'openai', content: 'echo: hello', toolCalls: [] });
    expect(a.usage.completionTokens).toBe(7);
    const g = await groq('echo').chat({ messages: [{ role: 'user', content: 'hoi' }] });
    expect(g).toMatchObject({ provider: 'groq', content: 'echo: hoi' });
    expect(fake.requests.at(-1)!.path).toBe('/openai/v1/chat/completions');
  });

  it('runs a tool-calling round trip', async () => {
    const p = openai('tool');
    const first = await p.chat({ messages: [{ role: 'user', content: 'where is order 10482?' }], tools: [LOOKUP] });
    expect(first.toolCalls).toEqual([{ id: 'call_1', name: 'lookup_order', arguments: '{"order_id":"10482"}' }]);
    const second = await p.chat({
      messages: [
        { role: 'user', content: 'where is order 10482?' },
        { role: 'assistant', content: null, toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_1', content: 'shipped' },
      ],
      tools: [LOOKUP],
    });
    expect(second.content).toBe('Order status: shipped');
  });

  it('streams text deltas and tool-call fragments', async () => {
    const deltas: string[] = [];
    const text = await openai('echo').chat({ messages: [{ role: 'user', content: 'stream me please' }], onDelta: (d) => deltas.push(d) });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('echo: stream me please');
    expect(text.content).toBe('echo: stream me please');
    expect(text.usage.completionTokens).toBe(7);
    const tool = await openai('tool').chat({ messages: [{ role: 'user', content: 'order?' }], tools: [LOOKUP], onDelta: () => {} });
    expect(tool.toolCalls).toEqual([{ id: 'call_1', name: 'lookup_order', arguments: '{"order_id":"10482"}' }]);
  });

  it('waits out a 429 with Retry-After and succeeds', async () => {
    const before = fake.requests.length;
    const r = await openai('rate-limited').chat({ messages: [{ role: 'user', content: 'busy?' }] });
    expect(r.content).toBe('echo: busy?');
    expect(fake.requests.length - before).toBe(2);
  });

  it('gives up on a 500 after bounded retries, as a retryable error', async () => {
    const before = fake.requests.length;
    const err = await openai('broken').chat({ messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 500, retryable: true });
    expect(fake.requests.length - before).toBe(3);
  });

  it('does not retry a bad key or a bad request', async () => {
    const before = fake.received;
    const auth = await openai('echo', 'sk-wrong').chat({ messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(auth).toMatchObject({ status: 401, retryable: false });
    const bad = await openai('echo').chat({ messages: [] }).catch((e) => e);
    expect(bad).toMatchObject({ status: 400, retryable: false });
    // Exactly one request each: neither is retried.
    expect(fake.received - before).toBe(2);
    expect(fake.unauthorized.filter((k) => k === 'sk-wrong')).toHaveLength(1);
  });

  it('falls back to another provider when the primary fails', async () => {
    const r = await withFallback(openai('broken'), groq('echo')).chat({ messages: [{ role: 'user', content: 'fallback' }] });
    expect(r).toMatchObject({ provider: 'groq', content: 'echo: fallback' });
  });
});
