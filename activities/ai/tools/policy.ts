import { z } from 'zod';
import type { AgentConfig } from '../config/agent-config.js';
import type { ToolSpec } from '../providers/types.js';
import { BUILT_IN_ARGS, ENDPOINT_REQUIRED, GROUNDED_ARGS, builtInSpec, isBuiltIn } from './catalog.js';

/** What the policy needs to know of a tenant HTTP tool (db/schema/tools.ts). */
export interface HttpToolDef {
  id: string;
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  requiresApproval: boolean;
  enabled: boolean;
}

export interface ToolRequest {
  providerCallId: string;
  name: string;
  /** As the model wrote them: untrusted JSON text. */
  arguments: string;
}

export interface PlannedCall {
  providerCallId: string;
  name: string;
  arguments: Record<string, unknown>;
  status: 'pending' | 'awaiting_approval' | 'blocked';
  needsApproval: boolean;
  reason: string | null;
}

export interface ToolScope {
  config: AgentConfig;
  httpTools: HttpToolDef[];
  /** Everything the customer wrote in this conversation: grounded arguments must come from it. */
  customerText: string;
  contact: { email: string | null; phone: string | null };
}

/** The tools the model may call here: enabled by the policy, and bound to an endpoint where they need one. */
export function availableTools(scope: Pick<ToolScope, 'config' | 'httpTools'>): ToolSpec[] {
  const bound = new Set(scope.httpTools.filter((t) => t.enabled).map((t) => t.name));
  const builtIns = scope.config.tools.enabled.filter((name) => !ENDPOINT_REQUIRED.has(name) || bound.has(name)).map(builtInSpec);
  const custom = scope.httpTools
    .filter((t) => t.enabled && !isBuiltIn(t.name))
    .map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }));
  return [...builtIns, ...custom];
}

const normalise = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const digits = (s: string) => s.replace(/\D/g, '');

function parseArgs(raw: string): Record<string, unknown> | string {
  if (raw.length > 16_000) return 'the arguments are too long';
  try {
    const value: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : 'the arguments must be a JSON object';
  } catch {
    return 'the arguments are not valid JSON';
  }
}

const issues = (err: z.ZodError) => err.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');

/**
 * Decides, for each call the model proposed, whether it may run now, must wait for a human, or is
 * refused. Nothing here trusts the model: unknown or disabled tools, malformed arguments, and
 * arguments that name things the customer never mentioned are blocked with a reason the model and
 * the agents both see.
 */
export function planToolCalls(requests: ToolRequest[], scope: ToolScope): PlannedCall[] {
  const offered = new Set(availableTools(scope).map((t) => t.name));
  const said = normalise(scope.customerText);
  return requests.map((req) => {
    const base = { providerCallId: req.providerCallId, name: req.name, needsApproval: false };
    const blocked = (reason: string, args: Record<string, unknown> = {}): PlannedCall => ({ ...base, arguments: args, status: 'blocked', reason });
    const parsed = parseArgs(req.arguments);
    if (typeof parsed === 'string') return blocked(parsed, { raw: req.arguments.slice(0, 2000) });
    if (!offered.has(req.name)) return blocked(`the tool '${req.name.slice(0, 60)}' is not available to this agent`, parsed);

    let args: Record<string, unknown>;
    let needsApproval: boolean;
    if (isBuiltIn(req.name)) {
      const result = BUILT_IN_ARGS[req.name].safeParse(parsed);
      if (!result.success) return blocked(issues(result.error), parsed);
      args = result.data as Record<string, unknown>;
      needsApproval = scope.config.tools.requireApproval.includes(req.name);
      const ungrounded = (GROUNDED_ARGS[req.name] ?? []).find((key) => {
        const value = normalise(String(args[key] ?? ''));
        return value.length === 0 || !said.includes(value);
      });
      if (ungrounded) return blocked(`${ungrounded} must be one the customer gave in this conversation`, args);
      if (req.name === 'update_contact') {
        // Changing how a person is reached is how accounts are taken over: a human confirms it.
        const changesEmail = args.email !== undefined && args.email !== scope.contact.email;
        const changesPhone = args.phone !== undefined && digits(String(args.phone)) !== digits(scope.contact.phone ?? '');
        if (changesEmail || changesPhone) needsApproval = true;
      }
    } else {
      const def = scope.httpTools.find((t) => t.name === req.name)!;
      const result = tenantSchema(def).safeParse(parsed);
      if (!result.success) return blocked(issues(result.error), parsed);
      args = result.data as Record<string, unknown>;
      needsApproval = def.requiresApproval;
    }
    return { ...base, arguments: args, needsApproval, status: needsApproval ? 'awaiting_approval' : 'pending', reason: needsApproval ? 'needs a teammate’s approval' : null };
  });
}

const schemaCache = new WeakMap<object, z.ZodType>();
function tenantSchema(def: HttpToolDef): z.ZodType {
  let schema = schemaCache.get(def.parameters);
  if (!schema) {
    schema = z.fromJSONSchema(def.parameters as Parameters<typeof z.fromJSONSchema>[0]);
    schemaCache.set(def.parameters, schema);
  }
  return schema;
}
