/** Frames shaped exactly like Twilio's Media Streams messages, for tests. */
export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const CALL_SID = 'CA0123456789abcdef0123456789abcdef';
export const STREAM_SID = 'MZ0123456789abcdef0123456789abcdef';

/** 20 ms of 8 kHz μ-law is 160 bytes; 0xFF is μ-law silence. */
export const FRAME_BYTES = 160;
export const SILENCE_PAYLOAD = Buffer.alloc(FRAME_BYTES, 0xff).toString('base64');

export const connectedFrame = () => ({ event: 'connected', protocol: 'Call', version: '1.0.0' });

export const startFrame = (overrides: { callSid?: string; streamSid?: string } = {}) => {
  const streamSid = overrides.streamSid ?? STREAM_SID;
  return {
    event: 'start',
    sequenceNumber: '1',
    start: {
      accountSid: ACCOUNT_SID,
      streamSid,
      callSid: overrides.callSid ?? CALL_SID,
      tracks: ['inbound'],
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      customParameters: { tenantId: 'tenant-1', from: '+15551234567' },
    },
    streamSid,
  };
};

/** chunk is 1-based, as Twilio numbers them; timestamps advance 20 ms per chunk. */
export const mediaFrame = (chunk: number, opts: { streamSid?: string; payload?: string } = {}) => ({
  event: 'media',
  sequenceNumber: String(chunk + 1),
  media: { track: 'inbound', chunk: String(chunk), timestamp: String((chunk - 1) * 20), payload: opts.payload ?? SILENCE_PAYLOAD },
  streamSid: opts.streamSid ?? STREAM_SID,
});

export const markFrame = (name: string, sequenceNumber = 90) => ({
  event: 'mark',
  sequenceNumber: String(sequenceNumber),
  streamSid: STREAM_SID,
  mark: { name },
});

export const stopFrame = (sequenceNumber = 99, overrides: { callSid?: string; streamSid?: string } = {}) => ({
  event: 'stop',
  sequenceNumber: String(sequenceNumber),
  streamSid: overrides.streamSid ?? STREAM_SID,
  stop: { accountSid: ACCOUNT_SID, callSid: overrides.callSid ?? CALL_SID },
});
