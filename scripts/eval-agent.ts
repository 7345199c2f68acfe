/**
 * `npm run eval:agent [-- --data DIR]`: measures the local AI agent on labelled data laid out as
 * ../shared/eval (kb/*.md, triage.jsonl, qa.jsonl, redteam.jsonl). The knowledge base is loaded into
 * a tenant of a real (embedded) PostgreSQL through the same code the API uses; the red-team cases run
 * against the whole platform (scripts/eval/redteam.ts). Last line: one JSON object.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { triage } from '../activities/ai/local/triage.js';
import { extractiveAnswer } from '../activities/knowledge/answer.js';
import { loadIndex, saveDocument } from '../activities/knowledge/store.js';
import { connectDb } from '../db/client.js';
import { readKbFolder } from '../db/kb-folder.js';
import { migrateDatabase } from '../db/migrate.js';
import { tenants } from '../db/schema/index.js';
import { runRedteam, type RedteamCase } from './eval/redteam.js';
import { startEmbeddedPostgres } from './stack/postgres-server.js';
import { freePort } from './stack/process-utils.js';
import { percentile } from './stats.js';

const { values } = parseArgs({ options: { data: { type: 'string', default: resolve('..', 'shared', 'eval') } } });
const DATA = resolve(values.data!);
if (!existsSync(join(DATA, 'triage.jsonl'))) {
  console.error(`No evaluation data at ${DATA}: pass --data DIR, a folder with kb/, triage.jsonl, qa.jsonl and redteam.jsonl.`);
  process.exit(2);
}
const jsonl = <T>(file: string): T[] =>
  readFileSync(join(DATA, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
const round = (x: number) => Math.round(x * 1000) / 1000;

interface TriageCase { text: string; channel: string; intent: string; priority: string; sentiment: string; escalate: boolean }
interface QaCase { question: string; article: string; facts: string[][] }

const dir = mkdtempSync(join(tmpdir(), 'switchboard-eval-'));
const pg = await startEmbeddedPostgres({ port: await freePort(), dataDir: join(dir, 'postgres'), persistent: false });
try {
  await pg.createDatabase('eval');
  await migrateDatabase(pg.adminUrl('eval'));
  const db = connectDb(pg.adminUrl('eval'), { max: 2 });
  const [tenant] = await db.db.insert(tenants).values({ name: 'Northwind Outfitters', widgetKey: 'wk_eval' }).returning();

  // kb/<article>.md: the article id is the file name; the title is its first heading.
  const articleOf = new Map<string, string>();
  for (const { id, title, body, format } of readKbFolder(join(DATA, 'kb'))) {
    const doc = await saveDocument(db.db, tenant.id, { title, body, format });
    articleOf.set(doc!.id, id);
  }
  const index = await loadIndex(db.db, tenant.id);

  const triageCases = jsonl<TriageCase>('triage.jsonl');
  let intent = 0, priority = 0, sentiment = 0, tp = 0, fp = 0, fn = 0;
  for (const c of triageCases) {
    const t = triage(c.text, c.channel);
    if (t.intent === c.intent) intent++;
    if (t.priority === c.priority) priority++;
    if (t.sentiment === c.sentiment) sentiment++;
    if (t.escalate && c.escalate) tp++;
    else if (t.escalate) fp++;
    else if (c.escalate) fn++;
  }

  const qa = jsonl<QaCase>('qa.jsonl');
  let hit1 = 0, hit3 = 0, facts = 0, factTotal = 0;
  const retrievalMs: number[] = [];
  for (const q of qa) {
    const started = performance.now();
    // The same k as the reply pipeline, so the figures describe what customers get.
    const hits = index.search(q.question, 5);
    retrievalMs.push(performance.now() - started);
    const articles = [...new Set(hits.map((h) => articleOf.get(h.chunk.documentId)))];
    if (articles[0] === q.article) hit1++;
    if (articles.slice(0, 3).includes(q.article)) hit3++;
    const answer = extractiveAnswer(q.question, hits)?.text?.toLowerCase() ?? '';
    for (const alternatives of q.facts) {
      factTotal++;
      if (alternatives.some((a) => answer.includes(a.toLowerCase()))) facts++;
    }
  }

  const redteam = jsonl<RedteamCase>('redteam.jsonl');
  const outcomes = await runRedteam(DATA, redteam);
  const failed = (mode: string) => outcomes.filter((o) => o.mode === mode && o.failed);

  const result = {
    data: DATA,
    triage_cases: triageCases.length,
    intent_accuracy: round(intent / triageCases.length),
    priority_accuracy: round(priority / triageCases.length),
    sentiment_accuracy: round(sentiment / triageCases.length),
    escalation_precision: round(tp / Math.max(1, tp + fp)),
    escalation_recall: round(tp / Math.max(1, tp + fn)),
    qa_cases: qa.length,
    hit_at_1: round(hit1 / qa.length),
    hit_at_3: round(hit3 / qa.length),
    fact_recall: round(facts / Math.max(1, factTotal)),
    retrieval_ms_p50: round(percentile(retrievalMs, 50)),
    retrieval_ms_p95: round(percentile(retrievalMs, 95)),
    redteam_cases: redteam.length,
    redteam_failures: failed('local').length,
    // The same attacks with a model that obeys them: what the platform's own checks hold back.
    redteam_failures_compromised_model: failed('compromised_model').length,
    redteam_failed: outcomes.filter((o) => o.failed).map((o) => ({ id: o.id, mode: o.mode, executed: o.executed, leaked: o.leaked })),
  };
  await db.close();
  console.log(JSON.stringify(result));
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
