/** One server-sent event, as the API writes them: `id`, `event` and a single `data` line. */
export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Splits a text/event-stream into frames. The widget reads the stream with fetch rather than
 * EventSource so that it chooses when and from which event id to reconnect (EventSource retries on
 * its own, forgets the id when it gives up, and cannot report why it failed).
 */
export class SseParser {
  private buffer = '';

  /** Feeds a chunk; returns the frames it completed. Comments (keep-alives) are dropped. */
  push(chunk: string): SseFrame[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const frames: SseFrame[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame = parseBlock(block);
      if (frame) frames.push(frame);
    }
    return frames;
  }
}

function parseBlock(block: string): SseFrame | null {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length || id !== null ? { id, event, data: data.join('\n') } : null;
}

/** Reads a response body to its end (aborting the fetch ends it with an error), handing each frame over as it completes. */
export async function readSse(body: ReadableStream<Uint8Array>, onFrame: (frame: SseFrame) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const frame of parser.push(decoder.decode(value, { stream: true }))) onFrame(frame);
    }
  } finally {
    reader.releaseLock();
  }
}
