import { describe, expect, it } from 'vitest';
import { describeDeliveryFailure, twilioFailure } from './twilio-errors.js';

const rest = (status: number, code: number, message = 'x') => Object.assign(new Error(message), { status, code, moreInfo: `https://www.twilio.com/docs/errors/${code}` });

describe('Twilio errors', () => {
  it.each([
    [401, 20003, /Account SID or Auth Token.*20003/],
    [400, 21211, /not a valid phone number.*21211/],
    [400, 21610, /unsubscribed.*21610/],
    [400, 63016, /24-hour window.*63016/],
    [400, 21999, /Twilio refused the message.*21999/],
  ])('a %i with code %i can never succeed: not retried, and the code is kept', (status, code, reason) => {
    const failure = twilioFailure(rest(status, code));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(reason);
  });

  it.each([
    [429, 20429],
    [500, 20500],
    [503, 20503],
  ])('a %i is retried', (status, code) => {
    const failure = twilioFailure(rest(status, code));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain(String(code));
  });

  it('retries when Twilio could not be reached', () => {
    const failure = twilioFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toMatch(/could not be reached.*ECONNREFUSED/);
  });

  it('describes a failed delivery with its code', () => {
    expect(describeDeliveryFailure('30003', undefined)).toBe('the handset is unreachable (Twilio error 30003)');
    expect(describeDeliveryFailure('30099', 'Something odd')).toBe('Something odd (Twilio error 30099)');
    expect(describeDeliveryFailure(undefined, undefined)).toBe('Twilio could not deliver it');
  });
});
