/**
 * Automation expressions: `{{ path }}` references and if/else conditions.
 *
 * Runs inside Temporal workflow code, so everything here is pure and deterministic: no Node
 * built-ins, no `eval`/`Function`, no clock, no randomness. Resolution is deliberately narrow:
 * it reads only own *data* properties of plain objects and array indexes, so a template can never
 * reach a prototype, call a getter, or see inside class instances (those are opaque: undefined).
 */

/** What a run's templates resolve against. */
export type ExprContext = { trigger: unknown; nodes: Record<string, { output: unknown }>; contact: unknown };

/** A malformed `{{ … }}` reference. `expression` is the offending text, `reason` says what is wrong. */
export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`Invalid expression ${JSON.stringify(expression)}: ${reason}`);
    this.name = 'ExpressionError';
  }
}

const ROOTS = new Set(['trigger', 'nodes', 'contact']);
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
// No leading zeros, so `[01]` cannot silently mean `[1]`; 9 digits keeps it a safe integer.
const INDEX = /\[(0|[1-9][0-9]{0,8})\]/y;
const CANONICAL_INDEX = /^(0|[1-9][0-9]*)$/;

type Part = { text: string } | { path: readonly string[] };

function parsePath(inner: string, raw: string): string[] {
  const s = inner.trim();
  if (s === '') throw new ExpressionError(raw, 'empty expression');
  const segments: string[] = [];
  const kinds: Array<'name' | 'index'> = [];
  let pos = 0;
  const readIdent = (): boolean => {
    IDENT.lastIndex = pos;
    const m = IDENT.exec(s);
    if (!m) return false;
    segments.push(m[0]);
    kinds.push('name');
    pos = IDENT.lastIndex;
    return true;
  };
  if (!readIdent()) throw new ExpressionError(raw, `expected a name at position ${pos}, found ${JSON.stringify(s[pos])}`);
  while (pos < s.length) {
    const ch = s[pos];
    if (ch === '.') {
      pos++;
      if (!readIdent()) throw new ExpressionError(raw, `expected a name after "." at position ${pos}`);
    } else if (ch === '[') {
      INDEX.lastIndex = pos;
      const m = INDEX.exec(s);
      if (!m) throw new ExpressionError(raw, `bad index at position ${pos}: use a non-negative integer like [0]`);
      segments.push(m[1]);
      kinds.push('index');
      pos = INDEX.lastIndex;
    } else {
      throw new ExpressionError(raw, `unexpected character ${JSON.stringify(ch)} at position ${pos}`);
    }
  }
  const forbidden = segments.find((seg) => FORBIDDEN.has(seg));
  if (forbidden) throw new ExpressionError(raw, `"${forbidden}" is not allowed in a path`);
  if (!ROOTS.has(segments[0])) throw new ExpressionError(raw, `unknown root "${segments[0]}": use trigger, nodes or contact`);
  if (segments[0] === 'nodes' && (kinds[1] !== 'name' || segments[2] !== 'output' || kinds[2] !== 'name')) {
    throw new ExpressionError(raw, 'node references must look like nodes.<id>.output…');
  }
  return segments;
}

// A pure memo of parsed templates: the same string always parses the same way, so sharing it
// across workflow runs is deterministic. Bounded by clearing, which only costs a re-parse.
const cache = new Map<string, readonly Part[]>();
const CACHE_LIMIT = 500;

function parseTemplate(template: string): readonly Part[] {
  const hit = cache.get(template);
  if (hit) return hit;
  const parts: Part[] = [];
  let i = 0;
  for (;;) {
    const open = template.indexOf('{{', i);
    if (open === -1) {
      if (i < template.length) parts.push({ text: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: template.slice(i, open) });
    const close = template.indexOf('}}', open + 2);
    const nested = template.indexOf('{{', open + 2);
    if (close === -1 || (nested !== -1 && nested < close)) {
      const end = close === -1 ? template.length : close + 2;
      throw new ExpressionError(template.slice(open, end), 'unclosed "{{"');
    }
    const raw = template.slice(open, close + 2);
    parts.push({ path: Object.freeze(parsePath(template.slice(open + 2, close), raw)) });
    i = close + 2;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(template, parts);
  return parts;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  // Realm-independent: any realm's Object.prototype has a null prototype; class instances do not.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Values a template may see: primitives, plain objects, arrays. Everything else is opaque. */
function readable(v: unknown): unknown {
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return v;
    case 'object':
      return Array.isArray(v) || isPlainObject(v) ? v : undefined;
    default:
      return undefined; // functions, symbols
  }
}

function child(v: unknown, seg: string): unknown {
  if (Array.isArray(v) ? !CANONICAL_INDEX.test(seg) : !isPlainObject(v)) return undefined;
  // A descriptor read never runs a getter; only data properties count.
  const desc = Object.getOwnPropertyDescriptor(v, seg);
  return desc && 'value' in desc ? readable(desc.value) : undefined;
}

function resolve(path: readonly string[], ctx: ExprContext): unknown {
  let cur = child(ctx, path[0]);
  for (let i = 1; i < path.length && cur !== undefined; i++) cur = child(cur, path[i]);
  return cur;
}

/** A detached, JSON-safe copy: own enumerable data properties only, opaque values dropped, cycles cut. */
function toPlain(v: unknown, stack: Set<object> = new Set()): unknown {
  const r = readable(v);
  if (typeof r === 'bigint') return String(r);
  if (typeof r !== 'object' || r === null) return r;
  if (stack.has(r)) return undefined;
  stack.add(r);
  let out: unknown;
  if (Array.isArray(r)) {
    out = Array.from({ length: r.length }, (_, i) => toPlain(child(r, String(i)), stack));
  } else {
    const entries: Array<[string, unknown]> = [];
    for (const key of Object.keys(r)) {
      const value = toPlain(child(r, key), stack);
      if (value !== undefined) entries.push([key, value]);
    }
    out = Object.fromEntries(entries); // CreateDataProperty: a "__proto__" key stays a plain key
  }
  stack.delete(r);
  return out;
}

function interpolate(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(toPlain(v)) ?? '';
}

function collect(value: unknown, out: string[][], seen: Set<object>): void {
  if (typeof value === 'string') {
    for (const part of parseTemplate(value)) if ('path' in part) out.push([...part.path]);
    return;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  if (!Array.isArray(value) && !isPlainObject(value)) return;
  seen.add(value);
  for (const key of Object.keys(value)) collect(child(value, key), out, seen);
}

/**
 * Every `{{ path }}` reference in a string, or in the strings inside arrays and plain objects, as
 * path segments in order of appearance (duplicates kept). Throws ExpressionError on bad syntax.
 * Used at publish time, so unknown references fail there rather than mid-run.
 */
export function referencesIn(value: unknown): string[][] {
  const out: string[][] = [];
  collect(value, out, new Set());
  return out;
}

/**
 * Renders a template. A template that is exactly one `{{ref}}` (nothing around the braces)
 * returns the referenced value with its type, as a detached plain copy; otherwise references are
 * interpolated: strings as is, numbers/booleans via String, null/undefined as '', objects as JSON.
 */
export function render(template: string, ctx: ExprContext): unknown {
  const parts = parseTemplate(template);
  if (parts.length === 1 && 'path' in parts[0]) return toPlain(resolve(parts[0].path, ctx));
  let out = '';
  for (const part of parts) out += 'path' in part ? interpolate(resolve(part.path, ctx)) : part.text;
  return out;
}

/** Renders every string inside arrays and plain objects (node configs); other values pass through. */
export function renderDeep<T>(value: T, ctx: ExprContext): unknown {
  if (typeof value === 'string') return render(value, ctx);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, ctx));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.keys(value).map((key) => [key, renderDeep(child(value, key), ctx)]));
  }
  return value;
}

// ---- Conditions -------------------------------------------------------------------------------

type Op = 'equals' | 'not_equals' | 'contains' | 'not_contains' | 'starts_with' | 'ends_with' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists' | 'not_exists' | 'in' | 'matches';

/**
 * An if/else condition. Groups: `all` (AND, empty → true), `any` (OR, empty → false), `not`; when a
 * group sets several of them, all that are set must hold. Comparisons: `left` and `right` are
 * templates rendered with `render` (a non-string `right`, such as an array for `in`, is rendered
 * with `renderDeep`).
 */
export type Condition = { all?: Condition[]; any?: Condition[]; not?: Condition } | { left: string; op: Op; right?: unknown };

/** `matches` limits. Longer patterns or inputs make the condition false rather than risk a stall. */
export const MATCHES_MAX_PATTERN_LENGTH = 200;
export const MATCHES_MAX_INPUT_LENGTH = 10_000;
const MAX_CONDITION_DEPTH = 32;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function numeric(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && DECIMAL.test(v.trim())) return Number(v.trim());
  return null;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return null;
}

function structurallyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => structurallyEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && structurallyEqual(a[k], b[k]));
  }
  return false;
}

/** Equality as an admin means it: strings ignore case, "5" equals 5, "true" equals true, null equals undefined. */
function looseEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' || typeof b === 'number') {
    const na = numeric(a);
    const nb = numeric(b);
    if (na !== null && nb !== null) return na === nb;
  }
  if (typeof a === 'boolean' && typeof b === 'string') return String(a) === b.trim().toLowerCase();
  if (typeof b === 'boolean' && typeof a === 'string') return String(b) === a.trim().toLowerCase();
  return structurallyEqual(a, b);
}

function contains(left: unknown, right: unknown): boolean {
  if (Array.isArray(left)) return left.some((item) => looseEquals(item, right));
  const l = text(left);
  const r = text(right);
  return l !== null && r !== null && l.toLowerCase().includes(r.toLowerCase());
}

function affix(left: unknown, right: unknown, end: boolean): boolean {
  const l = text(left)?.toLowerCase();
  const r = text(right)?.toLowerCase();
  if (l === undefined || r === undefined) return false;
  return end ? l.endsWith(r) : l.startsWith(r);
}

function compare(left: unknown, right: unknown, test: (l: number, r: number) => boolean): boolean {
  const l = numeric(left);
  const r = numeric(right);
  return l !== null && r !== null && test(l, r);
}

/**
 * Rejects the classic catastrophic-backtracking shapes: a group that contains a quantifier or an
 * alternation and is itself repeated (`(a+)+`, `(a|a)*`), and backreferences. A heuristic, not a
 * proof: polynomial blow-ups such as `.*.*.*x` remain possible, which is why inputs are capped.
 */
function riskyPattern(body: string): boolean {
  const stack: boolean[] = [false]; // per open group: does it contain a quantifier or `|`?
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') {
      const next = body[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && body[i + 2] === '<')) return true;
      i++;
    } else if (ch === '[') {
      for (i++; i < body.length && body[i] !== ']'; i++) if (body[i] === '\\') i++;
    } else if (ch === '(') {
      stack.push(false);
    } else if (ch === ')') {
      const inner = stack.length > 1 ? stack.pop()! : false;
      const repeated = /[*+{]/.test(body[i + 1] ?? '');
      if (inner && repeated) return true;
      if (inner || repeated) stack[stack.length - 1] = true;
    } else if (ch === '*' || ch === '+' || ch === '{' || ch === '|') {
      stack[stack.length - 1] = true;
    }
  }
  return false;
}

function safeRegex(source: string): RegExp | null {
  if (source.length > MATCHES_MAX_PATTERN_LENGTH) return null;
  // `/body/flags` selects flags; g and y are excluded because they make `test` stateful.
  const literal = /^\/([\s\S]*)\/([imsu]*)$/.exec(source);
  const body = literal ? literal[1] : source;
  if (riskyPattern(body)) return null;
  try {
    return new RegExp(body, literal ? literal[2] : '');
  } catch {
    return null;
  }
}

function matches(left: unknown, right: unknown): boolean {
  const input = text(left);
  const pattern = text(right);
  if (input === null || pattern === null || input.length > MATCHES_MAX_INPUT_LENGTH) return false;
  return safeRegex(pattern)?.test(input) ?? false;
}

function exists(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function compareOp(op: Op, left: unknown, right: unknown): boolean {
  switch (op) {
    case 'equals':
      return looseEquals(left, right);
    case 'not_equals':
      return !looseEquals(left, right);
    case 'contains':
      return contains(left, right);
    case 'not_contains':
      return !contains(left, right);
    case 'starts_with':
      return affix(left, right, false);
    case 'ends_with':
      return affix(left, right, true);
    case 'gt':
      return compare(left, right, (l, r) => l > r);
    case 'gte':
      return compare(left, right, (l, r) => l >= r);
    case 'lt':
      return compare(left, right, (l, r) => l < r);
    case 'lte':
      return compare(left, right, (l, r) => l <= r);
    case 'exists':
      return exists(left);
    case 'not_exists':
      return !exists(left);
    case 'in':
      return Array.isArray(right) && right.some((item) => looseEquals(left, item));
    case 'matches':
      return matches(left, right);
    default:
      throw new ExpressionError(String(op), 'unknown condition operator');
  }
}

function evaluate(c: Condition, ctx: ExprContext, depth: number): boolean {
  if (depth > MAX_CONDITION_DEPTH) throw new ExpressionError('', `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`);
  if ('op' in c) {
    const left = render(c.left, ctx);
    const right = typeof c.right === 'string' ? render(c.right, ctx) : renderDeep(c.right, ctx);
    return compareOp(c.op, left, right);
  }
  if (c.all === undefined && c.any === undefined && c.not === undefined) {
    throw new ExpressionError('', 'a condition needs op, all, any or not');
  }
  if (c.all && !c.all.every((x) => evaluate(x, ctx, depth + 1))) return false;
  if (c.any && !c.any.some((x) => evaluate(x, ctx, depth + 1))) return false;
  if (c.not && evaluate(c.not, ctx, depth + 1)) return false;
  return true;
}

/** Evaluates a condition against a run's context. Throws ExpressionError only for malformed definitions. */
export function evaluateCondition(c: Condition, ctx: ExprContext): boolean {
  return evaluate(c, ctx, 0);
}
