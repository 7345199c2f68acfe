import type { Client } from '@temporalio/client';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { withTenant, type Database } from '../../db/client.js';
import { messages } from '../../db/schema/index.js';
import { signalInbound } from './conversation-workflows.js';

interface Pending {
  tenantId: string;
  conversationId: string;
  messageId: string;
  /** The message created its conversation (see ConversationInput.opening); the sweeper never knows. */
  opening?: boolean;
}

/**
 * Hands stored inbound messages to their conversation workflows, off the acknowledgement path.
 * The message row is the durable record: until `signaled_at` is set, the sweeper (here or in any
 * other API process) signals it again, so a crash loses nothing. A repeated signal is harmless:
 * the workflow drops message ids it already has. Signals of one conversation keep their order.
 */
export class SignalPump {
  private chains = new Map<string, Promise<void>>();
  private marks = new Map<string, string[]>();
  private markTimer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private inflight = new Set<Promise<void>>();
  /** Messages already waiting here: a sweep during an outage must not queue them again and again. */
  private queued = new Set<string>();
  private stopped = false;
  private sweeping?: Promise<number>;

  constructor(
    private readonly db: Database,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly opts: { sweepEveryMs?: number; sweepAfterMs?: number } = {},
  ) {}

  start(): void {
    const every = this.opts.sweepEveryMs ?? 5_000;
    const loop = () => {
      if (this.stopped) return;
      this.sweepTimer = setTimeout(() => void (this.sweeping = this.sweep()).finally(loop), every);
      this.sweepTimer.unref();
    };
    void (this.sweeping = this.sweep());
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    await this.sweeping?.catch(() => 0);
    await Promise.allSettled([...this.inflight]);
    await this.flushMarks();
  }

  enqueue(p: Pending): Promise<void> {
    // After stop, leave it to the sweeper of the next process: the row keeps it safe.
    if (this.stopped || this.queued.has(p.messageId)) return Promise.resolve();
    this.queued.add(p.messageId);
    const previous = this.chains.get(p.conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.signal(p));
    this.chains.set(p.conversationId, next);
    this.inflight.add(next);
    void next.finally(() => {
      this.inflight.delete(next);
      this.queued.delete(p.messageId);
      if (this.chains.get(p.conversationId) === next) this.chains.delete(p.conversationId);
    });
    return next;
  }

  /** Messages stored but not yet known to be signalled: left by a crash, or by a signal that failed. */
  async sweep(only?: { tenantId: string }): Promise<number> {
    const cutoff = new Date(Date.now() - (this.opts.sweepAfterMs ?? 5_000));
    const stale = await this.db
      .select({ tenantId: messages.tenantId, conversationId: messages.conversationId, messageId: messages.id })
      .from(messages)
      .where(and(eq(messages.direction, 'inbound'), isNull(messages.signaledAt), lt(messages.createdAt, cutoff), only && eq(messages.tenantId, only.tenantId)))
      .orderBy(messages.createdAt)
      .limit(500)
      .catch(() => []);
    await Promise.allSettled(stale.map((p) => this.enqueue(p)));
    return stale.length;
  }

  private async signal(p: Pending): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await signalInbound(this.temporal, this.taskQueue, { tenantId: p.tenantId, conversationId: p.conversationId, ...(p.opening && { opening: true }) }, p.messageId);
        this.mark(p.tenantId, p.messageId);
        return;
      } catch (err) {
        if (attempt === 4) {
          console.warn(`[ingest] signalling message ${p.messageId} failed; the sweeper will retry`, (err as Error).message);
          return;
        }
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  private mark(tenantId: string, messageId: string) {
    const ids = this.marks.get(tenantId) ?? [];
    ids.push(messageId);
    this.marks.set(tenantId, ids);
    this.markTimer ??= setTimeout(() => void this.flushMarks(), 20);
  }

  private async flushMarks(): Promise<void> {
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    const batch = this.marks;
    this.marks = new Map();
    for (const [tenantId, ids] of batch) {
      await withTenant(this.db, tenantId, (tx) => tx.update(messages).set({ signaledAt: sql`now()` }).where(inArray(messages.id, ids))).catch((err) =>
        console.warn('[ingest] could not record signals; the sweeper will signal again', (err as Error).message),
      );
    }
  }
}
