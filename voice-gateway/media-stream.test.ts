import { describe, expect, it } from 'vitest';
import { decodedLength, MediaStreamSession, parseMediaStreamMessage, ProtocolError, type MediaStreamMessage } from './media-stream.js';
import { CALL_SID, connectedFrame, FRAME_BYTES, markFrame, mediaFrame, startFrame, stopFrame, STREAM_SID } from './twilio-fixtures.js';

function parse(frame: unknown): MediaStreamMessage {
  const result = parseMediaStreamMessage(JSON.stringify(frame));
  if (!result.ok) throw new Error(`expected ${JSON.stringify(frame)} to parse: ${JSON.stringify(result)}`);
  return result.message;
}

describe('parseMediaStreamMessage', () => {
  it('parses the connected handshake', () => {
    expect(parse(connectedFrame())).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
  });

  it('parses start with call ids, media format and custom parameters', () => {
    const msg = parse(startFrame());
    expect(msg.event).toBe('start');
    if (msg.event !== 'start') return;
    expect(msg.sequenceNumber).toBe(1);
    expect(msg.start).toMatchObject({
      streamSid: STREAM_SID,
      callSid: CALL_SID,
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      customParameters: { tenantId: 'tenant-1', from: '+15551234567' },
    });
  });

  it('parses media, turning Twilio string counters into numbers', () => {
    const msg = parse(mediaFrame(3));
    if (msg.event !== 'media') throw new Error('not media');
    expect(msg.sequenceNumber).toBe(4);
    expect(msg.media).toMatchObject({ track: 'inbound', chunk: 3, timestamp: 40 });
  });

  it('accepts Twilio’s own documented media example', () => {
    const frame = {
      event: 'media',
      sequenceNumber: '3',
      media: { track: 'outbound', chunk: '1', timestamp: '5', payload: 'no+JhoaJjpzSHxAKBgYJDhtEopGKh4aIjZm7JhILBwYIDRg1qZSLh4aIjJevLBUMBwYHDBUsr5eMiIaHi5SpNRgNCAYHChIm' },
      streamSid: 'MZXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    };
    expect(parseMediaStreamMessage(JSON.stringify(frame)).ok).toBe(true);
  });

  it('parses mark and stop', () => {
    expect(parse(markFrame('greeting-done'))).toMatchObject({ event: 'mark', mark: { name: 'greeting-done' } });
    expect(parse(stopFrame())).toMatchObject({ event: 'stop', streamSid: STREAM_SID, stop: { callSid: CALL_SID } });
  });

  it('reports invalid JSON', () => {
    expect(parseMediaStreamMessage('{"event":')).toMatchObject({ ok: false, kind: 'invalid-json' });
  });

  it('reports known events with the wrong shape', () => {
    const noPayload = { ...mediaFrame(1), media: { track: 'inbound', chunk: '1', timestamp: '0' } };
    expect(parseMediaStreamMessage(JSON.stringify(noPayload))).toMatchObject({ ok: false, kind: 'invalid-message' });
    const notBase64 = mediaFrame(1, { payload: 'not base64!' });
    expect(parseMediaStreamMessage(JSON.stringify(notBase64))).toMatchObject({ ok: false, kind: 'invalid-message' });
    const badCounter = { ...stopFrame(), sequenceNumber: 'five' };
    expect(parseMediaStreamMessage(JSON.stringify(badCounter))).toMatchObject({ ok: false, kind: 'invalid-message' });
    expect(parseMediaStreamMessage('[]')).toMatchObject({ ok: false, kind: 'invalid-message' });
  });

  it('flags unknown events separately so new Twilio events can be skipped', () => {
    expect(parseMediaStreamMessage(JSON.stringify({ event: 'clear', streamSid: STREAM_SID }))).toEqual({
      ok: false,
      kind: 'unknown-event',
      event: 'clear',
    });
  });
});

describe('MediaStreamSession', () => {
  it('accounts bytes and chunks over a whole call', () => {
    const session = new MediaStreamSession();
    expect(session.handle(parse(connectedFrame()))).toBeNull();
    expect(session.connected).toBe(true);
    session.handle(parse(startFrame()));
    for (let chunk = 1; chunk <= 50; chunk++) session.handle(parse(mediaFrame(chunk)));
    session.handle(parse(markFrame('greeting-done')));
    const call = session.handle(parse(stopFrame()));
    expect(call).toMatchObject({
      callSid: CALL_SID,
      streamSid: STREAM_SID,
      state: 'stopped',
      chunkCount: 50,
      bytesReceived: 50 * FRAME_BYTES,
      lastTimestampMs: 49 * 20,
      marks: ['greeting-done'],
      customParameters: { tenantId: 'tenant-1', from: '+15551234567' },
    });
    expect(call?.stoppedAt).toBeInstanceOf(Date);
  });

  it('rejects media before start, for another stream, and after stop', () => {
    const early = new MediaStreamSession();
    expect(() => early.handle(parse(mediaFrame(1)))).toThrow(ProtocolError);

    const session = new MediaStreamSession();
    session.handle(parse(startFrame()));
    expect(() => session.handle(parse(mediaFrame(1, { streamSid: 'MZother' })))).toThrow(/unknown stream/);
    expect(() => session.handle(parse(startFrame()))).toThrow(/second start/);
    session.handle(parse(stopFrame()));
    expect(() => session.handle(parse(mediaFrame(2)))).toThrow(/after stop/);
  });

  it('marks a call that loses its socket without stop as disconnected', () => {
    const session = new MediaStreamSession();
    session.handle(parse(startFrame()));
    session.handle(parse(mediaFrame(1)));
    expect(session.disconnect()).toMatchObject({ state: 'disconnected', chunkCount: 1 });
  });
});

describe('decodedLength', () => {
  it('matches Buffer decoding for padded and unpadded base64', () => {
    for (const size of [0, 1, 2, 3, 159, 160, 161]) {
      const b64 = Buffer.alloc(size, 7).toString('base64');
      expect(decodedLength(b64)).toBe(size);
      expect(decodedLength(b64.replace(/=+$/, ''))).toBe(size);
    }
  });
});
