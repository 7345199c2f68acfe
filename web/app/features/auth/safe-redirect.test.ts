import { describe, expect, it } from 'vitest';
import { safeRedirectTo } from './safe-redirect';

describe('safeRedirectTo', () => {
  it('keeps paths on this site', () => {
    expect(safeRedirectTo('/inbox/abc?view=mine')).toBe('/inbox/abc?view=mine');
    expect(safeRedirectTo('/settings/users')).toBe('/settings/users');
  });

  it('refuses anything a browser would send to another site', () => {
    for (const value of ['https://evil.example', '//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'evil', '']) {
      expect(safeRedirectTo(value)).toBe('/inbox');
    }
    expect(safeRedirectTo(null, '/login')).toBe('/login');
  });
});
