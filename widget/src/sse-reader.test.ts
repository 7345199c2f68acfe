import { describe, expect, it } from 'vitest';
import { readSse, SseParser, type SseFrame } from './sse-reader.js';

describe('SseParser', () => {
  it('reassembles frames split across chunks, with CRLF endings, and drops keep-alive comments', () => {
    const parser = new SseParser();
    expect(parser.push('event: ready\ndata: {"lastEventId":0}\n\n: keep-alive\n\nid: 4')).toEqual([{ id: null, event: 'ready', data: '{"lastEventId":0}' }]);
    expect(parser.push('2\r\nevent: message\r\ndata: {"a":')).toEqual([]);
    expect(parser.push('1}\r\n\r\n')).toEqual([{ id: '42', event: 'message', data: '{"a":1}' }]);
  });

  it('reads a whole response body, multi-byte characters split across chunks included', async () => {
    const bytes = new TextEncoder().encode('id: 1\ndata: {"content":"Grüß dich 👋"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.slice(i, i + 7));
        c.close();
      },
    });
    const frames: SseFrame[] = [];
    await readSse(body, (f) => frames.push(f));
    expect(frames).toEqual([{ id: '1', event: 'message', data: '{"content":"Grüß dich 👋"}' }]);
  });
});
