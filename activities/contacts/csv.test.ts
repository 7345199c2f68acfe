import { describe, expect, it } from 'vitest';
import { csvField, parseRows } from './csv.js';

describe('parseRows', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    const text = 'name,email\r\n"Smith, Jo","jo@x.com"\n"Say ""hi""\nthere",b@x.com\n\nlast,row';
    expect(parseRows(text, { final: true })).toEqual({
      rows: [['name', 'email'], ['Smith, Jo', 'jo@x.com'], ['Say "hi"\nthere', 'b@x.com'], ['last', 'row']],
      consumed: text.length,
    });
  });

  it('stops a window at the last complete row, and the next window goes on from there', () => {
    const text = 'a,b\n"multi\nline",2\nc,3\n';
    const first = parseRows(text.slice(0, 12), { final: false });
    expect(first.rows).toEqual([['a', 'b']]);
    const second = parseRows(text.slice(first.consumed), { final: true });
    expect(second.rows).toEqual([['multi\nline', '2'], ['c', '3']]);
    expect(first.consumed + second.consumed).toBe(text.length);
    // A cap on rows ends the window early, on a row boundary.
    expect(parseRows(text, { final: true, maxRows: 2 })).toEqual({ rows: [['a', 'b'], ['multi\nline', '2']], consumed: 19 });
  });

  it('quotes fields that need it, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"=HYPERLINK(""x"")"');
    expect(csvField(null)).toBe('');
  });
});
