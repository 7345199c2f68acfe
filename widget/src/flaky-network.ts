import { SseParser, type SseFrame } from './sse-reader.js';
import type { FetchLike } from './widget-api.js';

/** What `app.request` needs: the real API in process (scripts/testing/harness.ts). */
type RequestHandler = (url: string, init: RequestInit) => Response | Promise<Response>;

/**
 * For integration tests: the browser's network as the widget sees it, in front of the real API. It
 * can be cut (requests fail, open streams break), it can lose a response after the API acted on the
 * request, and it records what the widget asked for and what the event streams delivered.
 */
export function flakyNetwork(app: { request: RequestHandler }) {
  const open = new Set<AbortController>();
  const net = {
    offline: false,
    /** `METHOD /path?query`, in order. */
    requests: [] as string[],
    /** `METHOD /path?query` of the requests whose response reached the widget, in order. */
    answered: [] as string[],
    /** Bodies of the POSTs that reached the API, by path. */
    posts: [] as { path: string; body: Record<string, unknown> }[],
    /** Each event stream's text as delivered, in the order they were opened. */
    streams: [] as string[],
    /** `METHOD /path` whose next response is dropped after the API handled the request. */
    loseNextResponse: null as string | null,
    fetch: (async (url, init) => {
      if (net.offline) throw new TypeError('Failed to fetch');
      const u = new URL(url);
      const method = init.method ?? 'GET';
      const line = `${method} ${u.pathname}${u.search}`;
      net.requests.push(line);
      if (method === 'POST') net.posts.push({ path: u.pathname, body: JSON.parse(String(init.body)) as Record<string, unknown> });
      const res = await app.request(url, { ...init, signal: undefined });
      if (net.loseNextResponse === `${method} ${u.pathname}`) {
        net.loseNextResponse = null;
        throw new TypeError('network changed');
      }
      net.answered.push(line);
      if (!res.body || !res.headers.get('content-type')?.includes('text/event-stream')) return res;
      // A stream ends when the widget aborts it or the network goes: both cancel the API side too.
      const cut = new AbortController();
      open.add(cut);
      init.signal?.addEventListener('abort', () => cut.abort());
      const index = net.streams.push('') - 1;
      const decoder = new TextDecoder();
      const tap = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          net.streams[index] += decoder.decode(chunk, { stream: true });
          out.enqueue(chunk);
        },
      });
      const body = res.body.pipeThrough(tap, { signal: cut.signal });
      return new Response(body, { status: res.status, headers: res.headers });
    }) as FetchLike,
    disconnect() {
      net.offline = true;
      for (const s of open) s.abort();
      open.clear();
    },
    /** Everything the event streams delivered, as text. */
    get streamed(): string {
      return net.streams.join('');
    },
    /** The frames one stream delivered. */
    frames(index: number): SseFrame[] {
      return new SseParser().push(net.streams[index] ?? '');
    },
    count(prefix: string): number {
      return net.requests.filter((r) => r.startsWith(prefix)).length;
    },
  };
  return net;
}

export type FlakyNetwork = ReturnType<typeof flakyNetwork>;
