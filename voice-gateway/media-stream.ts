/**
 * Twilio Media Streams protocol: JSON text frames on a WebSocket, one stream per connection.
 * https://www.twilio.com/docs/voice/media-streams/websocket-messages
 *
 * Scope: the gateway only accepts and accounts for the audio (bytes, chunks, timing). Speech-to-text,
 * the AI reply and text-to-speech back into the call are deliberately not implemented yet.
 */
import { z } from 'zod';

// Twilio sends counters as decimal strings ("sequenceNumber": "3"); accept numbers too.
const counter = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'payload must be base64');

const connectedSchema = z.object({
  event: z.literal('connected'),
  protocol: z.string(),
  version: z.string(),
});

const startSchema = z.object({
  event: z.literal('start'),
  sequenceNumber: counter,
  streamSid: z.string().min(1),
  start: z.object({
    streamSid: z.string().min(1),
    callSid: z.string().min(1),
    accountSid: z.string().optional(),
    tracks: z.array(z.string()).default(['inbound']),
    customParameters: z.record(z.string(), z.string()).default({}),
    mediaFormat: z.object({
      encoding: z.string(),
      sampleRate: z.number().int().positive(),
      channels: z.number().int().positive(),
    }),
  }),
});

const mediaSchema = z.object({
  event: z.literal('media'),
  sequenceNumber: counter,
  streamSid: z.string().min(1),
  media: z.object({
    track: z.enum(['inbound', 'outbound']),
    chunk: counter,
    timestamp: counter,
    payload: base64,
  }),
});

const markSchema = z.object({
  event: z.literal('mark'),
  sequenceNumber: counter,
  streamSid: z.string().min(1),
  mark: z.object({ name: z.string() }),
});

const dtmfSchema = z.object({
  event: z.literal('dtmf'),
  sequenceNumber: counter,
  streamSid: z.string().min(1),
  dtmf: z.object({ track: z.string(), digit: z.string() }),
});

const stopSchema = z.object({
  event: z.literal('stop'),
  sequenceNumber: counter,
  streamSid: z.string().min(1),
  stop: z.object({ accountSid: z.string().optional(), callSid: z.string().min(1) }),
});

const messageSchema = z.discriminatedUnion('event', [connectedSchema, startSchema, mediaSchema, markSchema, dtmfSchema, stopSchema]);

export type MediaStreamMessage = z.infer<typeof messageSchema>;
export type MediaStreamEvent = MediaStreamMessage['event'];
const KNOWN_EVENTS = new Set<string>(['connected', 'start', 'media', 'mark', 'dtmf', 'stop']);

export type ParseResult =
  | { ok: true; message: MediaStreamMessage }
  /** Not JSON, or a known event with the wrong shape: the peer is not speaking the protocol. */
  | { ok: false; kind: 'invalid-json' | 'invalid-message'; error: string }
  /** Valid JSON with an event we do not know: Twilio adds events over time, so skip, don't fail. */
  | { ok: false; kind: 'unknown-event'; event: string };

export function parseMediaStreamMessage(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, kind: 'invalid-json', error: (err as Error).message };
  }
  const event = (json as { event?: unknown } | null)?.event;
  if (typeof event === 'string' && !KNOWN_EVENTS.has(event)) return { ok: false, kind: 'unknown-event', event };
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) {
    const error = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, kind: 'invalid-message', error };
  }
  return { ok: true, message: parsed.data };
}

export interface MediaFormat {
  encoding: string;
  sampleRate: number;
  channels: number;
}

export interface CallStats {
  streamSid: string;
  callSid: string;
  accountSid: string | null;
  customParameters: Record<string, string>;
  mediaFormat: MediaFormat;
  tracks: string[];
  /** `disconnected`: the socket closed without a stop frame (network drop, Twilio restart). */
  state: 'streaming' | 'stopped' | 'disconnected';
  startedAt: Date;
  stoppedAt: Date | null;
  /** Decoded audio bytes (μ-law: one byte per sample), not base64 characters. */
  bytesReceived: number;
  chunkCount: number;
  /** Stream-relative ms of the newest media frame; with 8 kHz μ-law, ≈ bytesReceived / 8. */
  lastTimestampMs: number;
  marks: string[];
  dtmfDigits: string;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/**
 * State of one WebSocket connection. Twilio opens a connection per stream, so a session tracks at
 * most one call; frames that contradict that (media before start, another streamSid) are protocol
 * errors rather than something to guess around.
 */
export class MediaStreamSession {
  private stats: CallStats | null = null;
  private protocolVersion: string | null = null;

  get call(): Readonly<CallStats> | null {
    return this.stats;
  }

  get connected(): boolean {
    return this.protocolVersion !== null;
  }

  /** Applies one parsed frame. Returns the call's stats once it exists. Throws ProtocolError. */
  handle(message: MediaStreamMessage): Readonly<CallStats> | null {
    switch (message.event) {
      case 'connected':
        this.protocolVersion = message.version;
        return this.stats;
      case 'start': {
        if (this.stats) throw new ProtocolError(`second start on stream ${this.stats.streamSid}`);
        const { start } = message;
        this.stats = {
          streamSid: start.streamSid,
          callSid: start.callSid,
          accountSid: start.accountSid ?? null,
          customParameters: start.customParameters,
          mediaFormat: start.mediaFormat,
          tracks: start.tracks,
          state: 'streaming',
          startedAt: new Date(),
          stoppedAt: null,
          bytesReceived: 0,
          chunkCount: 0,
          lastTimestampMs: 0,
          marks: [],
          dtmfDigits: '',
        };
        return this.stats;
      }
      case 'media': {
        const stats = this.requireStreaming(message.event, message.streamSid);
        stats.bytesReceived += decodedLength(message.media.payload);
        stats.chunkCount += 1;
        stats.lastTimestampMs = Math.max(stats.lastTimestampMs, message.media.timestamp);
        return stats;
      }
      case 'mark': {
        const stats = this.requireStreaming(message.event, message.streamSid);
        stats.marks.push(message.mark.name);
        return stats;
      }
      case 'dtmf': {
        const stats = this.requireStreaming(message.event, message.streamSid);
        stats.dtmfDigits += message.dtmf.digit;
        return stats;
      }
      case 'stop': {
        const stats = this.requireStreaming(message.event, message.streamSid);
        stats.state = 'stopped';
        stats.stoppedAt = new Date();
        return stats;
      }
    }
  }

  /** The socket closed; a call still streaming ended without a stop frame. */
  disconnect(): Readonly<CallStats> | null {
    if (this.stats?.state === 'streaming') {
      this.stats.state = 'disconnected';
      this.stats.stoppedAt = new Date();
    }
    return this.stats;
  }

  private requireStreaming(event: MediaStreamEvent, streamSid: string): CallStats {
    if (!this.stats) throw new ProtocolError(`${event} before start`);
    if (this.stats.streamSid !== streamSid) throw new ProtocolError(`${event} for unknown stream ${streamSid}`);
    if (this.stats.state === 'stopped') throw new ProtocolError(`${event} after stop`);
    return this.stats;
  }
}

/** Byte length of base64 data without allocating a Buffer for every 20 ms frame. */
export function decodedLength(b64: string): number {
  if (b64.length === 0) return 0;
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}
