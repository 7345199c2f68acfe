/**
 * `npm run bench:kb`: knowledge-base indexing throughput and retrieval latency on a few thousand
 * chunks. Starts its own servers (Temporal, PostgreSQL, FerretDB, the API and the worker as real
 * processes), loads synthetic articles made from /work/shared/eval/kb (falling back to db/demo-kb)
 * with variations, and prints one JSON object on its last line.
 *
 * Indexing goes through the API: small documents are indexed within the request, large ones by the
 * knowledge-index workflow on the worker. Search latency is `searchKnowledge` as the platform calls
 * it (cache check against Postgres, query embedding, hybrid scoring), measured after one cold load.
 *
 *   npm run bench:kb -- --stores 40 --variants 20 --queries 400
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hasPgvector } from '../activities/knowledge/pgvector.js';
import { searchKnowledge } from '../activities/knowledge/retrieve.js';
import { parseMasterKey } from '../db/credential-crypto.js';
import { withPlatform } from './stack/platform-processes.js';
import { percentile } from './stats.js';

const { values: opts } = parseArgs({
  options: {
    stores: { type: 'string', default: '40' },
    variants: { type: 'string', default: '20' },
    queries: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '4' },
  },
});
const STORES = Number(opts.stores);
const VARIANTS = Number(opts.variants);
const QUERIES = Number(opts.queries);
const CONCURRENCY = Number(opts.concurrency);

const evalDir = '/work/shared/eval/kb';
const kbDir = existsSync(evalDir) ? evalDir : fileURLToPath(new URL('../db/demo-kb/', import.meta.url));
const articles = readdirSync(kbDir)
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ id: f.replace(/\.md$/, ''), text: readFileSync(join(kbDir, f), 'utf8') }));
const qaFile = '/work/shared/eval/qa.jsonl';
const questions = existsSync(qaFile)
  ? readFileSync(qaFile, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { question: string }).question)
  : ['How much does shipping cost?', 'How many days do I have to return an item?', 'When is the store open on Sunday?'];

const BRANDS = ['Northwind Outfitters', 'Fjord Gear', 'Alpine Supply', 'Harbour & Co', 'Cedar Trail', 'Polar Peak'];
const CITIES = ['Utrecht', 'Leiden', 'Ghent', 'Cologne', 'Lyon', 'Aarhus', 'Porto'];

/** One article as another store would write it: other names and figures, and a few more bullets. */
function variant(text: string, n: number): string {
  const brand = BRANDS[n % BRANDS.length];
  const city = CITIES[n % CITIES.length];
  const body = text
    .replace(/Northwind Outfitters/g, brand)
    .replace(/Utrecht/g, city)
    .replace(/\d+([.,]\d+)?/g, (m) => String(Math.round(Number(m.replace(',', '.')) * (1 + (n % 7) / 10) * 100) / 100));
  const extra = Array.from({ length: 1 + (n % 3) }, (_, i) => `- Note ${n}.${i}: ${brand} in ${city} also answers this by phone on weekdays.`).join('\n');
  return `${body}\n\n## More from ${brand}\n\n${extra}\n`;
}

const pct = (xs: number[], p: number) => Math.round(percentile(xs, p) * 100) / 100;

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

await withPlatform('bench-kb', { dbMax: 4 }, async ({ db, call, env }) => {
  const ws = await call('POST', '/v1/auth/signup', { workspaceName: 'bench kb', name: 'Bench', email: `bench-kb-${randomUUID().slice(0, 6)}@example.com`, password: 'a long password' });
  const token: string = ws.accessToken;

  // Small documents: single article variants, indexed within the request.
  const small = articles.flatMap((a) => Array.from({ length: VARIANTS }, (_, n) => ({ title: `${a.id} ${n}`, content: variant(a.text, n) })));
  // Large documents: one handbook per store with every article, indexed by the workflow.
  const large = Array.from({ length: STORES }, (_, s) => ({ title: `Handbook ${s}`, content: articles.map((a) => variant(a.text, s + 1000)).join('\n\n') }));

  let t0 = performance.now();
  let inlineChunks = 0;
  await pool(small, CONCURRENCY, async (d) => {
    const doc = await call('POST', '/v1/knowledge/documents', d, token);
    if (doc.status !== 'ready') throw new Error(`small document not indexed inline: ${JSON.stringify(doc)}`);
    inlineChunks += doc.chunkCount;
  });
  const inlineSeconds = (performance.now() - t0) / 1000;

  t0 = performance.now();
  const queued: string[] = [];
  await pool(large, CONCURRENCY, async (d) => {
    const doc = await call('POST', '/v1/knowledge/documents', d, token);
    if (doc.status !== 'indexing') throw new Error(`large document indexed inline: ${doc.chunksTotal} chunks`);
    queued.push(doc.id);
  });
  let workflowChunks = 0;
  for (;;) {
    const { documents } = await call('GET', '/v1/knowledge/documents', undefined, token);
    const mine = documents.filter((d: { id: string }) => queued.includes(d.id));
    const failed = mine.find((d: { status: string }) => d.status === 'failed');
    if (failed) throw new Error(`indexing failed: ${failed.error}`);
    if (mine.every((d: { status: string }) => d.status === 'ready')) {
      workflowChunks = mine.reduce((a: number, d: { chunkCount: number }) => a + d.chunkCount, 0);
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const workflowSeconds = (performance.now() - t0) / 1000;

  const credentialsKey = parseMasterKey(env.CREDENTIALS_MASTER_KEY);
  t0 = performance.now();
  const first = await searchKnowledge(db.db, ws.tenant.id, questions[0], { credentialsKey });
  const coldLoadMs = Math.round((performance.now() - t0) * 10) / 10;
  if (first.length === 0) throw new Error('search found nothing');
  const latencies: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const q = questions[i % questions.length];
    const started = performance.now();
    await searchKnowledge(db.db, ws.tenant.id, q, { credentialsKey });
    latencies.push(performance.now() - started);
  }
  const chunks = inlineChunks + workflowChunks;
  console.log(
    JSON.stringify({
      bench: 'kb',
      documents: small.length + large.length,
      chunks,
      vectorSearch: (await hasPgvector(db.db)) ? 'pgvector' : 'in-process exact cosine + BM25',
      embedding: 'local-hash-512',
      indexing: {
        chunksPerSec: Math.round(chunks / (inlineSeconds + workflowSeconds)),
        inline: { documents: small.length, chunks: inlineChunks, chunksPerSec: Math.round(inlineChunks / inlineSeconds) },
        workflow: { documents: large.length, chunks: workflowChunks, chunksPerSec: Math.round(workflowChunks / workflowSeconds) },
      },
      search: { queries: QUERIES, p50Ms: pct(latencies, 50), p95Ms: pct(latencies, 95), coldLoadMs },
    }),
  );
});
