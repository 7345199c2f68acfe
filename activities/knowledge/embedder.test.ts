import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY_EMBEDDING_MODEL } from '../../db/schema/index.js';
import { startFakeOpenAi, type FakeOpenAi } from '../../scripts/testing/fake-openai-server.js';
import { ProviderError } from '../ai/providers/types.js';
import { LOCAL_EMBEDDING_MODEL, localEmbedding } from './embed.js';
import { OPENAI_EMBEDDING_DIMENSIONS, OPENAI_EMBEDDING_MODEL, localEmbedder, openAiEmbedder } from './embedder.js';
import { ChunkIndex, type IndexedChunk } from './search.js';

const KEY = 'sk-test-embeddings';
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi(KEY);
});
afterAll(async () => fake?.close());

const post = (body: unknown, key = KEY) =>
  fetch(`${fake.url}/v1/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the fake OpenAI embeddings endpoint', () => {
  it("answers OpenAI's shape, with usage, in float and base64", async () => {
    const res = await post({ model: OPENAI_EMBEDDING_MODEL, input: ['express delivery', 'returns'], encoding_format: 'float' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ object: 'list', model: OPENAI_EMBEDDING_MODEL, usage: { prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) } });
    expect(body.data.map((d: any) => [d.object, d.index, d.embedding.length])).toEqual([
      ['embedding', 0, 1536],
      ['embedding', 1, 1536],
    ]);
    const b64 = await (await post({ model: OPENAI_EMBEDDING_MODEL, input: 'express delivery', encoding_format: 'base64', dimensions: 256 })).json();
    const bytes = Buffer.from(b64.data[0].embedding, 'base64');
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    expect(floats.length).toBe(256);
    expect(Math.hypot(...floats)).toBeCloseTo(1, 4);
  });

  it('refuses a bad key with 401, bad input with 400 naming the parameter, and an unknown model with 404', async () => {
    const unauthorized = await post({ model: OPENAI_EMBEDDING_MODEL, input: 'x' }, 'sk-wrong');
    expect(unauthorized.status).toBe(401);
    expect((await unauthorized.json()).error.code).toBe('invalid_api_key');
    for (const [body, param] of [
      [{ model: OPENAI_EMBEDDING_MODEL }, 'input'],
      [{ model: OPENAI_EMBEDDING_MODEL, input: '' }, 'input'],
      [{ model: OPENAI_EMBEDDING_MODEL, input: ['ok', 3.5] }, 'input'],
      [{ model: OPENAI_EMBEDDING_MODEL, input: 'x', dimensions: 5000 }, 'dimensions'],
      [{ model: 'text-embedding-ada-002', input: 'x', dimensions: 10 }, 'dimensions'],
    ] as const) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.param).toBe(param);
    }
    expect((await post({ model: 'gpt-embed-nope', input: 'x' })).status).toBe(404);
  });
});

describe('embedders', () => {
  it('embeds through the official SDK in batches of 100, in input order', async () => {
    const before = fake.embeddingRequests.length;
    const texts = Array.from({ length: 250 }, (_, i) => `article ${i} about delivery`);
    const vectors = await openAiEmbedder({ apiKey: KEY, baseUrl: `${fake.url}/v1` }).embed(texts);
    expect(fake.embeddingRequests.slice(before)).toEqual([
      { model: OPENAI_EMBEDDING_MODEL, inputs: 100 },
      { model: OPENAI_EMBEDDING_MODEL, inputs: 100 },
      { model: OPENAI_EMBEDDING_MODEL, inputs: 50 },
    ]);
    expect(vectors).toHaveLength(250);
    expect(vectors[0]).toHaveLength(OPENAI_EMBEDDING_DIMENSIONS);
    // Same text, same vector: order was kept across batches.
    const again = await openAiEmbedder({ apiKey: KEY, baseUrl: `${fake.url}/v1` }).embed([texts[173]]);
    expect(again[0].map((x) => x.toFixed(5))).toEqual(vectors[173].map((x) => x.toFixed(5)));
  });

  it('turns a rejected key into a non-retryable ProviderError', async () => {
    const err = await openAiEmbedder({ apiKey: 'sk-wrong', baseUrl: `${fake.url}/v1`, maxRetries: 0 })
      .embed(['x'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 401, retryable: false });
  });

  it('names the local model as the schema default does', async () => {
    expect(LOCAL_EMBEDDING_MODEL).toBe(LEGACY_EMBEDDING_MODEL);
    expect(await localEmbedder.embed(['express delivery'])).toEqual([localEmbedding('express delivery')]);
  });
});

describe('hybrid search across embedding models', () => {
  const chunk = (id: string, content: string, model: string, embedding: number[]): IndexedChunk => ({ id, documentId: id, documentTitle: id, heading: id, content, embedding, embeddingModel: model });

  it("compares each chunk only with the query embedded by the chunk's own model", async () => {
    const openai = openAiEmbedder({ apiKey: KEY, baseUrl: `${fake.url}/v1` });
    const texts = ['parcel tracking number', 'gift wrapping options'];
    const [a, b] = await openai.embed(texts);
    const index = new ChunkIndex([chunk('a', texts[0], OPENAI_EMBEDDING_MODEL, a), chunk('b', texts[1], OPENAI_EMBEDDING_MODEL, b)]);
    expect(index.models).toEqual(new Set([OPENAI_EMBEDDING_MODEL]));
    // No lexical overlap with either chunk: the vector half decides.
    const [q] = await openai.embed(['wrapping']);
    const withModel = index.searchWith('wrapping', 2, { byModel: new Map([[OPENAI_EMBEDDING_MODEL, q]]) });
    expect(withModel[0].chunk.id).toBe('b');
    // Without the model's query vector (the synchronous path), chunks are compared through local
    // embeddings, never an OpenAI vector against a local one.
    const local = index.search('tracking');
    expect(local[0].chunk.id).toBe('a');
    expect(local[0].score).toBeLessThanOrEqual(1);
  });

  it('uses similarities computed by the database for the models it covers', () => {
    const index = new ChunkIndex([chunk('a', 'alpha', LOCAL_EMBEDDING_MODEL, localEmbedding('alpha')), chunk('b', 'beta', LOCAL_EMBEDDING_MODEL, localEmbedding('beta'))]);
    const hits = index.searchWith('gamma', 2, { precomputed: { models: new Set([LOCAL_EMBEDDING_MODEL]), scores: new Map([['b', 0.9]]) } });
    expect(hits.map((h) => [h.chunk.id, Number(h.score.toFixed(3))])).toEqual([
      ['b', 0.315],
      ['a', 0],
    ]);
  });
});
