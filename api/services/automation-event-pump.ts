import type { Client } from '@temporalio/client';
import { asc, inArray, isNull, sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { withTenant, type Database } from '../../db/client.js';
import { automationEvents } from '../../db/schema/index.js';
import { createMatchingRuns, startRunWorkflow } from '../../temporal/automation-starter.js';
import type { TriggerEvent } from '../../workflows/automation/trigger-match.js';

const BATCH = 100;

type EventRow = typeof automationEvents.$inferSelect;

/** The trigger event a recorded change is, for matching against triggers' filters. */
export function triggerEventOf(row: Pick<EventRow, 'kind' | 'payload'>): TriggerEvent {
  const p = row.payload;
  if (row.kind === 'trigger.contact_attribute_changed') return { type: row.kind, changed: Array.isArray(p.changed) ? p.changed.map(String) : [] };
  if (row.kind === 'trigger.lead_stage_changed') return { type: row.kind, pipelineId: (p.pipelineId as string) ?? null, toStageId: (p.toStageId as string) ?? null };
  return { type: row.kind } as TriggerEvent;
}

/**
 * Turns the change events that database triggers record (automation_events) into automation runs.
 * Woken by NOTIFY, and sweeping on a timer for anything a missed notification or a crash left. The
 * events stay locked, and unmarked, until their runs are written and started: a crash in between
 * hands them to the next sweep, whose writes and starts are idempotent (one run per event).
 */
export class AutomationEventPump {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private unlisten?: () => Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly sql: Sql,
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly opts: { sweepEveryMs?: number } = {},
  ) {}

  async start(): Promise<void> {
    const listening = await this.sql.listen('automation_events', () => this.kick());
    this.unlisten = () => listening.unlisten();
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.kick();
        loop();
      }, this.opts.sweepEveryMs ?? 5_000);
      this.timer.unref();
    };
    this.kick();
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.unlisten?.().catch(() => {});
    await this.running?.catch(() => {});
  }

  /** Sweeps now, or once more after the sweep under way. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          while ((await this.dispatchBatch()) === BATCH && !this.stopped);
        } catch (err) {
          console.error('[automation-events] dispatch failed; the next sweep retries', err);
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
  }

  /** One batch of events, oldest first; returns how many it took. */
  async dispatchBatch(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const events = await tx.select().from(automationEvents).where(isNull(automationEvents.dispatchedAt)).orderBy(asc(automationEvents.id)).limit(BATCH).for('update', { skipLocked: true });
      for (const e of events) {
        const payload = e.payload;
        const runs = await withTenant(this.db, e.tenantId, (ttx) =>
          createMatchingRuns(ttx, e.tenantId, triggerEventOf(e), {
            eventKey: `event:${e.id}`,
            trigger: { ...payload, kind: e.kind },
            conversationId: typeof payload.conversationId === 'string' ? payload.conversationId : null,
            contactId: typeof payload.contactId === 'string' ? payload.contactId : null,
          }),
        );
        for (const run of runs) await startRunWorkflow(this.temporal, this.taskQueue, e.tenantId, run);
      }
      if (events.length) await tx.update(automationEvents).set({ dispatchedAt: sql`now()` }).where(inArray(automationEvents.id, events.map((e) => e.id)));
      return events.length;
    });
  }
}
