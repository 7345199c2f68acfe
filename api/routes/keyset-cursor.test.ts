import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

const raw = (at: unknown, id: unknown = randomUUID()) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

describe('inbox cursors', () => {
  it('round-trips the times PostgreSQL prints', () => {
    for (const at of ['2026-01-01 00:00:00+00', '2024-02-29 23:59:59.123456+05:30', '1901-12-13 20:45:52+00:19:32', null]) {
      const c = { at, id: randomUUID() };
      expect(decodeCursor(encodeCursor(c))).toEqual(c);
    }
  });

  it('refuses times PostgreSQL would refuse, as a 400 on cursor rather than a failed query', () => {
    // Date.parse accepts every one of these; PostgreSQL rejects them.
    for (const at of ['2026-02-30 00:00:00+00', '2025-02-29 00:00:00+00', '0000-01-01 00:00:00+00', '2026-01-01 00:00:00+23', '2026-01-01 24:00:00+00', '2026-13-01 00:00:00+00', '2026-01-01 00:00:60+00', 'yesterday', 42]) {
      let err: unknown;
      try {
        decodeCursor(raw(at));
      } catch (e) {
        err = e;
      }
      expect(err, String(at)).toBeInstanceOf(AppError);
      expect((err as AppError).fields?.[0].field, String(at)).toBe('cursor');
    }
  });
});
