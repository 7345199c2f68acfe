/**
 * Publish-time validation of an automation graph. Reports every problem at once, each naming the
 * node or edge (and config field) it is about, so the builder can mark them all in place.
 *
 * Rules, beyond each node's config schema:
 * - exactly one trigger node, and no edge into it;
 * - node ids and edge ids are unique;
 * - edges join existing nodes, through a handle `branchesOf(source)` allows;
 * - one edge per source handle. There is no fan-out: branches run one at a time, so "do A and B"
 *   is the chain A → B, whose order is then explicit and whose error branches stay separate;
 * - every node is reachable from the trigger;
 * - expressions refer only to `trigger.*`, `contact.*`, or `nodes.<id>.*` where `<id>` is an
 *   ancestor: a node on some path from the trigger to this one. Cycles are allowed (a step cap
 *   guards them at run time), so a node on a cycle may read its own previous output.
 */
import { AutomationDefinitionSchema, CONFIG_SCHEMAS, EdgeSchema, NodeSchema, branchesOf, categoryOf, edgeHandle, type AutomationDefinition, type AutomationNode, type Edge, type NodeType } from './definition.js';
import { ExpressionError, referencesIn } from './expressions.js';

export interface DefinitionError {
  nodeId?: string;
  edgeId?: string;
  /** Dotted path within the node or edge, e.g. `config.labels` or `handle`. */
  field?: string;
  message: string;
}

export type ValidationResult = { ok: true; definition: AutomationDefinition } | { ok: false; errors: DefinitionError[] };

/** Roots every node may read, whatever ran before it. */
const ALWAYS_AVAILABLE = new Set(['trigger', 'contact']);

const pathOf = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join('.') : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringProp = (v: unknown, key: string) => (isRecord(v) && typeof v[key] === 'string' ? (v[key] as string) : undefined);

export function validateDefinition(input: unknown): ValidationResult {
  const errors: DefinitionError[] = [];
  if (!isRecord(input) || !Array.isArray(input.nodes) || !Array.isArray(input.edges)) {
    return { ok: false, errors: [{ message: 'A definition is { nodes: [], edges: [] }' }] };
  }

  // Nodes: parse one by one so each error names its node. The graph checks below use every node
  // with a string id, valid config or not, so one bad field hides no other problem.
  const parsed = new Map<string, AutomationNode>();
  // Every node id, with its type when the type is known.
  const types = new Map<string, NodeType | undefined>();
  // Raw configs, so a node whose config is invalid still has its references checked.
  const configs = new Map<string, Record<string, unknown>>();
  for (const raw of input.nodes as unknown[]) {
    const id = stringProp(raw, 'id');
    const result = NodeSchema.safeParse(raw);
    for (const issue of result.error?.issues ?? []) errors.push({ nodeId: id, field: pathOf(issue.path), message: issue.message });
    if (id === undefined) continue;
    if (types.has(id)) {
      errors.push({ nodeId: id, field: 'id', message: `Duplicate node id "${id}"` });
      continue;
    }
    const type = result.success ? result.data.type : stringProp(raw, 'type');
    types.set(id, type !== undefined && Object.hasOwn(CONFIG_SCHEMAS, type) ? (type as NodeType) : undefined);
    if (result.success) parsed.set(id, result.data);
    if (isRecord(raw) && isRecord(raw.config)) configs.set(id, raw.config);
  }

  const triggers = [...types].filter(([, t]) => t !== undefined && categoryOf(t) === 'trigger').map(([id]) => id);
  if (triggers.length === 0) errors.push({ message: 'An automation needs a trigger node' });
  for (const id of triggers.slice(1)) errors.push({ nodeId: id, field: 'type', message: `Only one trigger per automation (already have "${triggers[0]}")` });

  // Edges: only well-formed edges between existing nodes enter the graph.
  const edges: Edge[] = [];
  const edgeIds = new Set<string>();
  const handlesUsed = new Map<string, string>();
  for (const raw of input.edges as unknown[]) {
    const edgeId = stringProp(raw, 'id');
    const result = EdgeSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) errors.push({ edgeId, field: pathOf(issue.path), message: issue.message });
      continue;
    }
    const edge = result.data;
    if (edgeIds.has(edge.id)) errors.push({ edgeId: edge.id, field: 'id', message: `Duplicate edge id "${edge.id}"` });
    edgeIds.add(edge.id);
    let dangling = false;
    for (const end of ['source', 'target'] as const) {
      if (!types.has(edge[end])) {
        errors.push({ edgeId: edge.id, field: end, message: `Edge ${end} "${edge[end]}" is not a node` });
        dangling = true;
      }
    }
    if (dangling) continue;
    if (triggers.includes(edge.target)) errors.push({ edgeId: edge.id, nodeId: edge.target, field: 'target', message: 'Nothing may lead into the trigger' });
    const source = parsed.get(edge.source);
    const handle = edgeHandle(edge);
    // A source with an invalid config already has its own error; its branches are unknown.
    if (source && !branchesOf(source).includes(handle)) {
      const valid = branchesOf(source);
      errors.push({ edgeId: edge.id, nodeId: edge.source, field: 'handle', message: `"${handle}" is not a branch of ${source.type}${valid.length ? ` (use ${valid.join(', ')})` : ' (it has no outgoing edges)'}` });
      continue;
    }
    const key = `${edge.source}\u0000${handle}`;
    const first = handlesUsed.get(key);
    if (first !== undefined) {
      errors.push({ edgeId: edge.id, nodeId: edge.source, field: 'handle', message: `Branch "${handle}" of "${edge.source}" already leads to edge "${first}"; chain the steps instead` });
      continue;
    }
    handlesUsed.set(key, edge.id);
    edges.push(edge);
  }

  // Reachability, only meaningful with exactly one trigger to start from.
  const reachable = triggers.length === 1 ? walk([triggers[0]], successors(edges)) : undefined;
  if (reachable) {
    for (const id of types.keys()) if (!reachable.has(id)) errors.push({ nodeId: id, message: 'Not reachable from the trigger' });
  }

  // Expression references, per top-level config field so the error points at the field.
  const preds = predecessors(edges);
  for (const [nodeId, config] of configs) {
    let ancestors: Set<string> | undefined;
    for (const [key, value] of Object.entries(config)) {
      const field = `config.${key}`;
      let refs: string[][];
      try {
        refs = referencesIn(value);
      } catch (err) {
        if (!(err instanceof ExpressionError)) throw err;
        errors.push({ nodeId, field, message: err.message });
        continue;
      }
      for (const ref of refs) {
        const [root, target] = ref;
        if (ALWAYS_AVAILABLE.has(root)) continue;
        const shown = ref.join('.');
        if (root !== 'nodes' || !target) {
          errors.push({ nodeId, field, message: `Unknown reference "${shown}": use trigger.…, contact.… or nodes.<id>.output.…` });
        } else if (!types.has(target)) {
          errors.push({ nodeId, field, message: `"${shown}" refers to node "${target}", which does not exist` });
        } else {
          ancestors ??= ancestorsOf(nodeId, preds, reachable);
          if (!ancestors.has(target)) errors.push({ nodeId, field, message: `"${shown}" refers to node "${target}", which cannot have run before this one` });
        }
      }
    }
  }

  if (errors.length) return { ok: false, errors };
  // Every node and edge parsed above, so this parse succeeds; it yields the typed definition.
  return { ok: true, definition: AutomationDefinitionSchema.parse(input) };
}

function successors(edges: Edge[]) {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  return out;
}

function predecessors(edges: Edge[]) {
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.target, [...(out.get(e.target) ?? []), e.source]);
  return out;
}

/** `start` and every node reachable from it through `next`. */
function walk(start: string[], next: Map<string, string[]>): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length) {
    for (const n of next.get(queue.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

/** Nodes with a path to `id` of at least one edge, that the trigger reaches: those that can have run before it. */
function ancestorsOf(id: string, preds: Map<string, string[]>, reachable: Set<string> | undefined): Set<string> {
  const found = walk(preds.get(id) ?? [], preds);
  return reachable ? new Set([...found].filter((n) => reachable.has(n))) : found;
}
