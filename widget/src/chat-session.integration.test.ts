import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { messages } from '../../db/schema/index.js';
import { eventually, startHarness, type Harness } from '../../scripts/testing/harness.js';
import { ChatSession, type ChatSnapshot } from './chat-session.js';
import { SessionStore, type KeyValueStorage } from './session-store.js';
import type { FetchLike } from './widget-api.js';

let h: Harness;
beforeAll(async () => {
  // Slow enough that the reply is written while the test holds the widget offline.
  h = await startHarness({ aiReplyDelayMs: 1_500 });
});
afterAll(async () => h?.close());

/**
 * The browser's network as the widget sees it, in front of the real API: it can be cut (requests
 * fail, open streams break) and it records what the widget asked for.
 */
function flakyNetwork(app: Harness['app']) {
  const streams = new Set<AbortController>();
  const net = {
    offline: false,
    requests: [] as string[],
    /** Everything the event streams delivered, as text. */
    streamed: '',
    fetch: (async (url, init) => {
      if (net.offline) throw new TypeError('Failed to fetch');
      net.requests.push(`${init.method ?? 'GET'} ${new URL(url).pathname}${new URL(url).search}`);
      const res = await app.request(url, { ...init, signal: undefined });
      if (!res.body || !res.headers.get('content-type')?.includes('text/event-stream')) return res;
      // A stream ends when the widget aborts it or the network goes: both cancel the API side too.
      const cut = new AbortController();
      streams.add(cut);
      init.signal?.addEventListener('abort', () => cut.abort());
      const tap = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          net.streamed += new TextDecoder().decode(chunk);
          out.enqueue(chunk);
        },
      });
      const body = res.body.pipeThrough(tap, { signal: cut.signal });
      return new Response(body, { status: res.status, headers: res.headers });
    }) as FetchLike,
    disconnect() {
      net.offline = true;
      for (const s of streams) s.abort();
      streams.clear();
    },
  };
  return net;
}

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('the widget against the real API', () => {
  it('gets the reply the AI wrote while the network was down exactly once, by resuming after the last event id', async () => {
    const ws = await h.signup('widget-resume');
    const net = flakyNetwork(h.app);
    const session = new ChatSession({
      config: { widgetKey: ws.tenant.widgetKey, apiUrl: 'http://widget.test' },
      store: new SessionStore(ws.tenant.widgetKey, memoryStorage()),
      fetch: net.fetch,
      retryBaseMs: 50,
      retryMaxMs: 200,
    });
    let now: ChatSnapshot = session.snapshot();
    session.subscribe((s) => (now = s));
    try {
      await session.loadSettings();
      await session.start();
      await eventually(async () => now.live, 'the live stream');

      session.send('Do you have the Ridgeline shell in medium?');
      const sent = await eventually(async () => now.items[0]?.serverId, 'the acknowledgement');
      await eventually(async () => now.typing, 'typing while the AI works');
      // The live event of the visitor's own message gives the widget a point to resume from.
      await eventually(async () => net.streamed.includes(`"id":"${sent}"`), 'the live event of the message');
      net.disconnect();
      await eventually(async () => !now.live, 'the widget to notice');

      // The AI answers while the visitor is offline.
      const reply = await eventually(async () => {
        const [row] = await h.db.select().from(messages).where(and(eq(messages.tenantId, ws.tenant.id), eq(messages.authorRole, 'ai'), eq(messages.deliveryStatus, 'sent')));
        return row;
      }, 'the AI reply to be sent');
      expect(now.items.some((i) => i.serverId === reply.id)).toBe(false);

      const streamsBefore = net.requests.filter((r) => r.startsWith('GET /v1/widget/events')).length;
      const historyBefore = net.requests.filter((r) => r.startsWith('GET /v1/widget/messages')).length;
      net.offline = false;
      session.online();
      await eventually(async () => now.items.some((i) => i.serverId === reply.id), 'the missed reply');
      await new Promise((r) => setTimeout(r, 300));

      // It came from the stream's replay after the last seen id, not from a history refetch.
      const resumed = net.requests.filter((r) => r.startsWith('GET /v1/widget/events')).slice(streamsBefore);
      expect(resumed).toHaveLength(1);
      expect(resumed[0]).toMatch(/^GET \/v1\/widget\/events\?since=\d+$/);
      expect(Number(resumed[0].split('since=')[1])).toBeGreaterThan(0);
      expect(net.requests.filter((r) => r.startsWith('GET /v1/widget/messages')).length).toBe(historyBefore);
      expect(now.items.map((i) => i.serverId)).toEqual([sent, reply.id]);
      expect(now.items.map((i) => i.authorRole)).toEqual(['customer', 'ai']);
      expect(now.typing).toBe(false);
      expect(now.live).toBe(true);
    } finally {
      session.stop();
    }
  });
});
