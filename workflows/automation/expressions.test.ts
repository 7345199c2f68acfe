import { describe, expect, it } from 'vitest';
import { ExpressionError, evaluateCondition, referencesIn, render, renderDeep, type Condition, type ExprContext } from './expressions.js';

const ctx = (over: Partial<ExprContext> = {}): ExprContext => ({
  trigger: { message: { text: 'What is the PRICE?', count: 3 }, tags: ['vip', 'new'], flag: false, nothing: null },
  nodes: { n1: { output: { items: [{ sku: 'A-1', qty: 2 }], label: 'Interested', score: '0.82' } } },
  contact: { name: 'Ada', age: 36, email: 'ada@example.com' },
  ...over,
});

function errorOf(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ExpressionError) return err;
    throw err;
  }
  throw new Error('expected an ExpressionError');
}

describe('referencesIn', () => {
  it('finds references in a string as path segments', () => {
    expect(referencesIn('Hi {{contact.name}} {{ nodes.n1.output.items[0].sku }}')).toEqual([
      ['contact', 'name'],
      ['nodes', 'n1', 'output', 'items', '0', 'sku'],
    ]);
  });

  it('walks arrays and objects, ignores non-strings, keeps order', () => {
    expect(referencesIn({ to: '{{contact.email}}', body: ['x', { y: '{{trigger.a-b_c}}' }], n: 3, z: null })).toEqual([
      ['contact', 'email'],
      ['trigger', 'a-b_c'],
    ]);
  });

  it('returns nothing for text without references and allows whitespace and newlines in braces', () => {
    expect(referencesIn('plain } text {')).toEqual([]);
    expect(referencesIn('{{\n  trigger.x \t}}')).toEqual([['trigger', 'x']]);
  });

  it('returns copies, so callers cannot corrupt the parse cache', () => {
    referencesIn('{{contact.name}}')[0].push('mutated');
    expect(referencesIn('{{contact.name}}')).toEqual([['contact', 'name']]);
  });

  it.each([
    ['Hi {{contact.name', 'unclosed "{{"'],
    ['{{ a {{contact.name}}', 'unclosed "{{"'],
    ['{{}}', 'empty expression'],
    ['{{   }}', 'empty expression'],
    ['{{user.name}}', 'unknown root "user"'],
    ['{{nodes.n1.items}}', 'nodes.<id>.output'],
    ['{{nodes.n1}}', 'nodes.<id>.output'],
    ['{{nodes}}', 'nodes.<id>.output'],
    ['{{nodes[0].output}}', 'nodes.<id>.output'],
    ['{{contact.__proto__}}', '"__proto__" is not allowed'],
    ['{{contact.constructor.name}}', '"constructor" is not allowed'],
    ['{{trigger.prototype}}', '"prototype" is not allowed'],
    ['{{contact.na me}}', 'unexpected character " "'],
    ['{{contact["name"]}}', 'bad index'],
    ['{{trigger.items[-1]}}', 'bad index'],
    ['{{trigger.items[01]}}', 'bad index'],
    ['{{trigger.}}', 'expected a name after "."'],
    ['{{trigger.0}}', 'expected a name after "."'],
    ['{{1trigger}}', 'expected a name'],
    ['{{contact.name()}}', 'unexpected character "("'],
  ])('rejects %s with a reason', (template, reason) => {
    const err = errorOf(() => referencesIn(template));
    expect(err.reason).toContain(reason);
    expect(err.message).toContain(reason);
    expect(template).toContain(err.expression.slice(0, 4));
  });

  it('reports the offending reference as the expression', () => {
    const err = errorOf(() => referencesIn({ a: ['ok {{contact.name}} then {{ bad.x }} end'] }));
    expect(err.expression).toBe('{{ bad.x }}');
    expect(err.name).toBe('ExpressionError');
  });
});

describe('render', () => {
  it('preserves the type of a single whole-string reference', () => {
    expect(render('{{contact.age}}', ctx())).toBe(36);
    expect(render('{{trigger.flag}}', ctx())).toBe(false);
    expect(render('{{trigger.nothing}}', ctx())).toBeNull();
    expect(render('{{ trigger.tags }}', ctx())).toEqual(['vip', 'new']);
    expect(render('{{nodes.n1.output.items[0]}}', ctx())).toEqual({ sku: 'A-1', qty: 2 });
    expect(render('{{contact.missing}}', ctx())).toBeUndefined();
  });

  it('returns a detached copy for object references', () => {
    const c = ctx();
    const got = render('{{nodes.n1.output.items[0]}}', c) as { qty: number };
    got.qty = 99;
    expect(render('{{nodes.n1.output.items[0].qty}}', c)).toBe(2);
  });

  it('interpolates mixed templates', () => {
    expect(render('Hi {{contact.name}}, age {{contact.age}}, flag {{trigger.flag}}', ctx())).toBe('Hi Ada, age 36, flag false');
    expect(render('[{{trigger.nothing}}][{{contact.missing}}]', ctx())).toBe('[][]');
    expect(render('tags={{trigger.tags}} item={{nodes.n1.output.items[0]}}', ctx())).toBe('tags=["vip","new"] item={"sku":"A-1","qty":2}');
    expect(render(' {{contact.age}}', ctx())).toBe(' 36');
    expect(render('no refs', ctx())).toBe('no refs');
    expect(render('', ctx())).toBe('');
  });

  it('resolves array indexes but not array properties', () => {
    expect(render('{{trigger.tags[1]}}', ctx())).toBe('new');
    expect(render('{{trigger.tags[5]}}', ctx())).toBeUndefined();
    expect(render('{{trigger.tags.length}}', ctx())).toBeUndefined();
    expect(render('{{trigger.tags.map}}', ctx())).toBeUndefined();
  });

  it('reads only own properties, never inherited ones', () => {
    expect(render('{{contact.toString}}', ctx())).toBeUndefined();
    expect(render('{{contact.hasOwnProperty}}', ctx())).toBeUndefined();
    expect(render('{{contact.name.length}}', ctx())).toBeUndefined();
    const inherited = Object.create({ secret: 'from-proto' }) as Record<string, unknown>;
    inherited.own = 'mine';
    expect(render('{{contact.own}}', ctx({ contact: inherited }))).toBeUndefined(); // non-plain object
    expect(render('{{trigger.x.secret}}', ctx({ trigger: { x: inherited } }))).toBeUndefined();
  });

  it('refuses prototype access attempts at parse time', () => {
    expect(() => render('{{contact.__proto__}}', ctx())).toThrow(ExpressionError);
    expect(() => render('x {{contact.constructor.name}}', ctx())).toThrow(/constructor/);
    expect(() => render('{{contact.__proto__.polluted}}', ctx())).toThrow(ExpressionError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats an own "__proto__" data key as an ordinary key when copying, without polluting', () => {
    const payload = JSON.parse('{"a":{"__proto__":{"polluted":true},"b":1}}') as unknown;
    const copy = render('{{trigger.a}}', ctx({ trigger: payload })) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('resolves own properties of Object.create(null) objects', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.name = 'Bare';
    expect(render('{{contact.name}}', ctx({ contact: bare }))).toBe('Bare');
    expect(render('{{contact.toString}}', ctx({ contact: bare }))).toBeUndefined();
    expect(render('{{contact}}', ctx({ contact: bare }))).toEqual({ name: 'Bare' });
  });

  it('treats class instances and other non-plain objects as opaque', () => {
    class Person {
      name = 'Instance';
      get shout(): string {
        throw new Error('getter must not run');
      }
    }
    const p = new Person();
    expect(render('{{contact.name}}', ctx({ contact: p }))).toBeUndefined();
    expect(render('{{contact.shout}}', ctx({ contact: p }))).toBeUndefined();
    expect(render('{{contact}}', ctx({ contact: p }))).toBeUndefined();
    expect(render('{{trigger.at}}', ctx({ trigger: { at: new Date(0) } }))).toBeUndefined();
    expect(render('{{trigger.m}}', ctx({ trigger: { m: new Map([['a', 1]]) } }))).toBeUndefined();
    expect(render('{{trigger.f}}', ctx({ trigger: { f: () => 1 } }))).toBeUndefined();
    expect(render('x{{trigger.p}}', ctx({ trigger: { p } }))).toBe('x');
    expect(render('{{trigger}}', ctx({ trigger: { p, ok: 1 } }))).toEqual({ ok: 1 });
  });

  it('never invokes getters, even own getters on plain objects', () => {
    let calls = 0;
    const obj = { plain: 1 };
    Object.defineProperty(obj, 'sneaky', { enumerable: true, get: () => ++calls });
    expect(render('{{contact.sneaky}}', ctx({ contact: obj }))).toBeUndefined();
    expect(render('{{contact}}', ctx({ contact: obj }))).toEqual({ plain: 1 });
    expect(render('c={{contact}}', ctx({ contact: obj }))).toBe('c={"plain":1}');
    expect(calls).toBe(0);
  });

  it('survives cycles and bigints when serialising', () => {
    const a: Record<string, unknown> = { n: 1n };
    a.self = a;
    expect(render('v={{trigger}}', ctx({ trigger: a }))).toBe('v={"n":"1"}');
    expect(render('{{trigger.n}}', ctx({ trigger: a }))).toBe('1');
  });

  it('resolves node outputs and returns undefined for unknown nodes', () => {
    expect(render('{{nodes.n1.output.label}}', ctx())).toBe('Interested');
    expect(render('{{nodes.n9.output.label}}', ctx())).toBeUndefined();
    expect(render('{{nodes.n1.output}}', ctx({ nodes: { n1: { output: 7 } } }))).toBe(7);
  });
});

describe('renderDeep', () => {
  it('renders every string inside arrays and objects and leaves other values alone', () => {
    const config = { to: '{{contact.email}}', qty: '{{nodes.n1.output.items[0].qty}}', lines: ['Hi {{contact.name}}', 5, true, null], nested: { deep: ['{{trigger.tags}}'] } };
    expect(renderDeep(config, ctx())).toEqual({ to: 'ada@example.com', qty: 2, lines: ['Hi Ada', 5, true, null], nested: { deep: [['vip', 'new']] } });
    expect(config.to).toBe('{{contact.email}}'); // input untouched
  });

  it('keeps a "__proto__" key as data and does not change the prototype', () => {
    const config = JSON.parse('{"__proto__":{"x":"{{contact.name}}"}}') as unknown;
    const out = renderDeep(config, ctx()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ x: 'Ada' });
  });

  it('throws on malformed templates anywhere in the value', () => {
    expect(() => renderDeep({ a: ['{{contact.name'] }, ctx())).toThrow(ExpressionError);
  });
});

describe('evaluateCondition', () => {
  const c = ctx();
  const cmp = (left: string, op: Extract<Condition, { op: unknown }>['op'], right?: unknown) => evaluateCondition({ left, op, right }, c);

  it('equals / not_equals: strings ignore case, numbers coerce, null equals missing', () => {
    expect(cmp('{{nodes.n1.output.label}}', 'equals', 'interested')).toBe(true);
    expect(cmp('{{nodes.n1.output.label}}', 'equals', 'interest')).toBe(false);
    expect(cmp('{{contact.age}}', 'equals', '36')).toBe(true);
    expect(cmp('{{contact.age}}', 'equals', '36.0')).toBe(true);
    expect(cmp('{{contact.age}}', 'equals', 37)).toBe(false);
    expect(cmp('{{trigger.flag}}', 'equals', 'FALSE')).toBe(true);
    expect(cmp('{{trigger.nothing}}', 'equals', '{{contact.missing}}')).toBe(true);
    expect(cmp('{{trigger.tags}}', 'equals', ['vip', 'new'])).toBe(true);
    expect(cmp('{{trigger.tags}}', 'equals', ['new', 'vip'])).toBe(false);
    expect(cmp('{{contact.name}}', 'not_equals', 'ADA')).toBe(false);
    expect(cmp('{{contact.name}}', 'not_equals', 'Bob')).toBe(true);
  });

  it('contains / not_contains on strings (case-insensitive) and arrays', () => {
    expect(cmp('{{trigger.message.text}}', 'contains', 'price')).toBe(true);
    expect(cmp('{{trigger.message.text}}', 'contains', 'cost')).toBe(false);
    expect(cmp('{{trigger.tags}}', 'contains', 'VIP')).toBe(true);
    expect(cmp('{{trigger.tags}}', 'contains', 'old')).toBe(false);
    expect(cmp('{{contact.missing}}', 'contains', 'x')).toBe(false);
    expect(cmp('{{trigger.message.text}}', 'not_contains', 'Price')).toBe(false);
    expect(cmp('{{trigger.message.text}}', 'not_contains', 'cost')).toBe(true);
  });

  it('starts_with / ends_with ignore case and need text', () => {
    expect(cmp('{{contact.email}}', 'starts_with', 'ADA@')).toBe(true);
    expect(cmp('{{contact.email}}', 'ends_with', '.COM')).toBe(true);
    expect(cmp('{{contact.email}}', 'ends_with', '.org')).toBe(false);
    expect(cmp('{{trigger.tags}}', 'starts_with', 'vip')).toBe(false);
  });

  it('numeric operators coerce numeric strings and are false otherwise', () => {
    expect(cmp('{{nodes.n1.output.score}}', 'gt', '0.8')).toBe(true);
    expect(cmp('{{nodes.n1.output.score}}', 'lt', 0.8)).toBe(false);
    expect(cmp('{{contact.age}}', 'gte', 36)).toBe(true);
    expect(cmp('{{contact.age}}', 'lte', '35')).toBe(false);
    expect(cmp('{{contact.age}}', 'lte', ' 36 ')).toBe(true);
    expect(cmp('{{contact.name}}', 'gt', 1)).toBe(false);
    expect(cmp('{{contact.name}}', 'lt', 1)).toBe(false);
    expect(cmp('{{contact.missing}}', 'lt', 1)).toBe(false);
    expect(cmp('{{trigger.flag}}', 'lt', 1)).toBe(false);
    expect(cmp('{{contact.age}}', 'gt', '0x10')).toBe(false);
    expect(cmp('{{contact.age}}', 'gt', '')).toBe(false);
  });

  it('exists / not_exists treat missing, null and empty text as absent', () => {
    expect(cmp('{{contact.name}}', 'exists')).toBe(true);
    expect(cmp('{{trigger.flag}}', 'exists')).toBe(true);
    expect(cmp('{{contact.missing}}', 'exists')).toBe(false);
    expect(cmp('{{trigger.nothing}}', 'exists')).toBe(false);
    expect(cmp('{{contact.missing}}', 'not_exists')).toBe(true);
    expect(cmp('{{contact.name}}', 'not_exists')).toBe(false);
  });

  it('in checks membership of an array, rendered from a literal or a reference', () => {
    expect(cmp('{{nodes.n1.output.label}}', 'in', ['interested', 'hot'])).toBe(true);
    expect(cmp('{{contact.name}}', 'in', ['{{contact.name}}'])).toBe(true);
    expect(cmp('new', 'in', '{{trigger.tags}}')).toBe(true);
    expect(cmp('old', 'in', '{{trigger.tags}}')).toBe(false);
    expect(cmp('{{contact.age}}', 'in', ['36'])).toBe(true);
    expect(cmp('a', 'in', 'abc')).toBe(false);
  });

  it('matches uses a regex string, with optional /body/flags', () => {
    expect(cmp('{{contact.email}}', 'matches', '^[a-z]+@example\\.com$')).toBe(true);
    expect(cmp('{{contact.name}}', 'matches', '^ada$')).toBe(false);
    expect(cmp('{{contact.name}}', 'matches', '/^ada$/i')).toBe(true);
    expect(cmp('{{contact.age}}', 'matches', '^\\d+$')).toBe(true);
    expect(cmp('{{contact.missing}}', 'matches', '.*')).toBe(false);
  });

  it('matches is false for invalid, over-long or catastrophic patterns and over-long input', () => {
    expect(cmp('{{contact.name}}', 'matches', '([a-z')).toBe(false);
    expect(cmp('{{contact.name}}', 'matches', '/ada/g')).toBe(false);
    expect(cmp('{{contact.name}}', 'matches', 'A' + 'd?'.repeat(100))).toBe(false); // 201 chars
    expect(cmp('{{contact.name}}', 'matches', 'A' + 'd?'.repeat(99) + 'a')).toBe(true); // 200 chars
    const long = ctx({ contact: { bio: 'a'.repeat(10_001) } });
    expect(evaluateCondition({ left: '{{contact.bio}}', op: 'matches', right: 'a' }, long)).toBe(false);
    const edge = ctx({ contact: { bio: 'a'.repeat(10_000) } });
    expect(evaluateCondition({ left: '{{contact.bio}}', op: 'matches', right: 'a' }, edge)).toBe(true);
    const evil = ctx({ contact: { bio: 'a'.repeat(5_000) + '!' } });
    for (const pattern of ['^(a+)+$', '(a|a)*$', '(a*)*$', '(\\w+\\s?)+$', '(a)\\1', '(?<x>a)\\k<x>']) {
      expect(evaluateCondition({ left: '{{contact.bio}}', op: 'matches', right: pattern }, evil)).toBe(false);
    }
  });

  it('combines all / any / not, including nesting and empty groups', () => {
    const yes: Condition = { left: '{{contact.name}}', op: 'equals', right: 'ada' };
    const no: Condition = { left: '{{contact.name}}', op: 'equals', right: 'bob' };
    expect(evaluateCondition({ all: [] }, c)).toBe(true);
    expect(evaluateCondition({ any: [] }, c)).toBe(false);
    expect(evaluateCondition({ all: [yes, yes] }, c)).toBe(true);
    expect(evaluateCondition({ all: [yes, no] }, c)).toBe(false);
    expect(evaluateCondition({ any: [no, yes] }, c)).toBe(true);
    expect(evaluateCondition({ any: [no, no] }, c)).toBe(false);
    expect(evaluateCondition({ not: no }, c)).toBe(true);
    expect(evaluateCondition({ not: yes }, c)).toBe(false);
    expect(evaluateCondition({ all: [yes, { any: [no, { not: { all: [no] } }] }] }, c)).toBe(true);
    expect(evaluateCondition({ all: [yes, { any: [no, { not: { any: [yes] } }] }] }, c)).toBe(false);
    expect(evaluateCondition({ all: [yes], any: [no] }, c)).toBe(false); // several keys: all must hold
  });

  it('throws on malformed conditions and templates', () => {
    expect(() => evaluateCondition({} as Condition, c)).toThrow(ExpressionError);
    expect(() => evaluateCondition({ left: '{{contact.name}}', op: 'bogus' } as unknown as Condition, c)).toThrow(/unknown condition operator/);
    expect(() => evaluateCondition({ left: '{{contact.__proto__}}', op: 'exists' }, c)).toThrow(ExpressionError);
    let deep: Condition = { left: 'a', op: 'exists' };
    for (let i = 0; i < 40; i++) deep = { not: deep };
    expect(() => evaluateCondition(deep, c)).toThrow(/nest deeper/);
  });
});
