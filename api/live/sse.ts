import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveEvent, LiveHub } from './live-hub.js';

/**
 * Streams live events as SSE. Events that happen while the replay query runs are buffered, then
 * sent after it in id order without duplicates; a keep-alive comment keeps proxies from closing idle streams.
 */
export function liveStream(
  c: Context,
  hub: LiveHub,
  opts: { tenantId: string; contactId?: string; lastEventId?: number; filter?: (e: LiveEvent) => LiveEvent | null },
) {
  return streamSSE(c, async (stream) => {
    let replaying = true;
    const buffered: LiveEvent[] = [];
    let wake: (() => void) | undefined;
    const queue: LiveEvent[] = [];

    // Notifications are loaded concurrently and may arrive out of order, so dedupe by id, not by order.
    const sent = new Set<number>();
    const send = async (e: LiveEvent) => {
      if (sent.has(e.id)) return;
      sent.add(e.id);
      if (sent.size > 5000) sent.delete(sent.values().next().value!);
      const shaped = opts.filter ? opts.filter(e) : e;
      if (!shaped) return;
      await stream.writeSSE({ id: String(e.id), event: eventName(e), data: JSON.stringify(shaped) });
    };

    const unsubscribe = hub.subscribe({
      tenantId: opts.tenantId,
      contactId: opts.contactId,
      push: (e) => {
        if (replaying) buffered.push(e);
        else queue.push(e);
        wake?.();
      },
    });
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });

    await stream.writeSSE({ event: 'ready', data: JSON.stringify({ lastEventId: opts.lastEventId ?? 0 }) });
    if (opts.lastEventId !== undefined) {
      for (const e of await hub.replay(opts.tenantId, opts.lastEventId, opts.contactId)) await send(e);
    }
    replaying = false;
    for (const e of buffered.sort((a, b) => a.id - b.id)) await send(e);

    while (!stream.aborted) {
      if (queue.length === 0) {
        let keepAlive: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          keepAlive = setTimeout(resolve, 15_000);
        });
        clearTimeout(keepAlive);
        wake = undefined;
        if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
        continue;
      }
      await send(queue.shift()!);
    }
    unsubscribe();
  });
}

/** The SSE event name clients listen for: `message`, `note` (agents only) or `conversation` (any other change). */
const eventName = (e: LiveEvent) => (e.message ? 'message' : e.note ? 'note' : 'conversation');

export function parseLastEventId(header: string | undefined, query: string | undefined): number | undefined {
  const raw = header ?? query;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
