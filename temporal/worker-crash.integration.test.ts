import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { messages, outbox } from '../db/schema/index.js';
import { conversationWorkflowId } from './contracts.js';
import { startWorkerProcess } from '../scripts/testing/worker-process.js';
import { eventually, startHarness, type Harness } from '../scripts/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false });
});
afterAll(async () => h?.close());

// The responder "thinks" long enough for the kill to land mid-activity.
const startWorker = () => startWorkerProcess(h.taskQueue, { AI_REPLY_DELAY_MS: '1500' });

describe('worker crash while a reply is in flight', () => {
  it('delivers exactly one reply after the worker is killed and restarted, in every trial', async () => {
    const ws = await h.signup('crash');
    const trials = 3;
    const recoveries: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      const worker = startWorker();
      const v = await h.visitor(ws.tenant.widgetKey);
      const sent = await h.call('POST', '/v1/widget/messages', { content: `hello ${trial}`, clientMessageId: randomUUID() }, v.sessionToken);
      const handle = h.temporal.workflow.getHandle(conversationWorkflowId(ws.tenant.id, sent.body.conversationId));
      // Kill at a different point each trial: mid-compose, and later into the attempt.
      await eventually(async () => {
        const d = await handle.describe().catch(() => undefined);
        return d?.raw.pendingActivities?.some((a) => a.activityType?.name === 'answerInbound' && a.state === 2 /* STARTED */);
      }, 'AI reply in flight');
      await new Promise((r) => setTimeout(r, trial * 600));
      await worker.stop('SIGKILL');
      const killedAt = Date.now();

      const restarted = startWorker();
      try {
        const replies = await eventually(async () => {
          const rows = await h.db.select().from(messages).where(and(eq(messages.conversationId, sent.body.conversationId), eq(messages.authorRole, 'ai')));
          return rows.length > 0 && rows.every((r) => r.deliveryStatus === 'sent') && rows;
        }, `reply after restart (trial ${trial})`, 45_000);
        recoveries.push((Date.now() - killedAt) / 1000);
        // Anything duplicated would show up within the next moments.
        await new Promise((r) => setTimeout(r, 1000));
        const after = await h.db.select().from(messages).where(and(eq(messages.conversationId, sent.body.conversationId), eq(messages.authorRole, 'ai')));
        expect(after, `trial ${trial}`).toHaveLength(1);
        expect(replies[0].id).toBe(after[0].id);
        const sends = await h.db.select().from(outbox).where(eq(outbox.messageId, after[0].id));
        expect(sends).toHaveLength(1);
        expect(sends[0].status).toBe('sent');
      } finally {
        await restarted.stop('SIGTERM', 15_000);
      }
    }
    // Recovery is bounded by the activity heartbeat timeout and the dead worker's sticky queue timeout.
    console.log(`[crash] ${trials} trials, each delivered exactly one reply; seconds from kill to reply: ${recoveries.map((r) => r.toFixed(1)).join(', ')}`);
  }, 240_000);
});
