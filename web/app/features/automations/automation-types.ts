/** The automation shapes the API answers with (api/routes/automations/automation-views.ts). */

export interface GraphNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  config: Record<string, unknown>;
  retry?: { maxAttempts: number };
  timeoutSeconds?: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  handle?: string;
}

export interface Definition {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ValidationError {
  nodeId?: string;
  edgeId?: string;
  field?: string;
  message: string;
}

export interface Validation {
  ok: boolean;
  errors: ValidationError[];
}

export interface AutomationSummary {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  triggerType: string | null;
  activeVersion: { id: string; version: number } | null;
  draftRevision: number;
  updatedAt: string;
  lastRun: { id: string; status: string; createdAt: string } | null;
}

export interface AutomationDetail {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  draft: Definition;
  draftRevision: number;
  activeVersionId: string | null;
  triggerType: string | null;
  webhookUrl: string;
  updatedAt: string;
}

export interface Version {
  id: string;
  version: number;
  note: string;
  publishedAt: string;
  publishedBy: string | null;
  active: boolean;
}

export interface RunSummary {
  id: string;
  automationId: string;
  status: string;
  triggerType: string;
  test: boolean;
  version: number | null;
  waitingFor: string | null;
  error: string | null;
  stepCount: number;
  workflowId: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface RunStep {
  seq: number;
  nodeId: string;
  nodeType: string;
  status: 'succeeded' | 'failed';
  branch: string | null;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: string;
  finishedAt: string;
}

export interface RunDetail extends RunSummary {
  trigger: Record<string, unknown>;
  definition: Definition;
  steps: RunStep[];
  waitingNodeId: string | null;
}

export const FINISHED_RUN = new Set(['succeeded', 'failed', 'stopped']);
