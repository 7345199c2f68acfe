import { describe, expect, it } from 'vitest';
import { graphFailure } from './graph-errors.js';

describe('graphFailure', () => {
  it('fails for good what retrying cannot fix, with a reason that says why', () => {
    const cases: Array<[number, Record<string, unknown>, RegExp]> = [
      [400, { code: 190, type: 'OAuthException', message: 'Invalid OAuth access token' }, /access token is invalid/],
      [403, { code: 10, error_subcode: 2534022, message: 'This message is sent outside of allowed window.' }, /24-hour/],
      [400, { code: 10, error_subcode: 2018278, message: 'outside of allowed window' }, /24-hour/],
      [403, { code: 10, message: 'Application does not have permission for this action' }, /permission/],
      [403, { code: 200, message: 'Permissions error' }, /permission/],
      [400, { code: 551, message: "This person isn't available right now." }, /not available/],
      [400, { code: 100, error_subcode: 2018001, message: 'No matching user found' }, /no Instagram user/],
      [400, { code: 100, message: '(#100) Param message must be non-empty' }, /rejected/],
    ];
    for (const [status, error, reason] of cases) {
      const f = graphFailure(status, error);
      expect(f.nonRetryable, JSON.stringify(error)).toBe(true);
      expect(f.message).toMatch(reason);
      expect(f.message).toContain(String(error.message));
    }
  });

  it('retries throttling and Meta-side faults', () => {
    for (const [status, error] of [
      [400, { code: 4, message: '(#4) Application request limit reached' }],
      [400, { code: 17 }],
      [400, { code: 32 }],
      [400, { code: 613 }],
      [429, undefined],
      [500, { code: 2, is_transient: true }],
      [503, undefined],
      [400, { code: 1, message: 'An unknown error occurred' }],
    ] as const) {
      expect(graphFailure(status, error).nonRetryable, JSON.stringify(error)).toBe(false);
    }
  });
});
