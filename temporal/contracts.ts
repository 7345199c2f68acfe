/**
 * Shapes that cross process boundaries: workflow inputs, signal and update payloads, and the
 * small decisions activities return. No dependencies, so workflow code, activities and the API
 * can all import it. Ids and enums only: message bodies never enter workflow history.
 */

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const CONVERSATION_OWNERS = ['ai', 'human'] as const;
export type ConversationOwner = (typeof CONVERSATION_OWNERS)[number];

export const CHANNELS = ['widget', 'whatsapp', 'sms', 'email', 'instagram', 'telegram', 'voice', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export const conversationWorkflowId = (tenantId: string, conversationId: string) =>
  `conversation:${tenantId}:${conversationId}`;

/** What survives continue-as-new: bounded, ids only. */
export interface ConversationSummary {
  status: ConversationStatus;
  owner: ConversationOwner;
  assigneeId: string | null;
  /** Epoch ms; null when not snoozed or snoozed until the customer replies. */
  snoozedUntil: number | null;
  idleTimeoutMs: number;
  /** Inbound message ids received but not yet handled. */
  pending: string[];
  /** The most recent handled inbound ids, to drop re-delivered signals. */
  recent: string[];
  handled: number;
  /** Follow-ups the agent scheduled and the workflow's timers must still send. */
  followUps?: Array<{ id: string; dueAt: number }>;
}

/**
 * The conversation workflow's version, stamped on every run a starter starts and carried through
 * continue-as-new. A run that has it takes today's path without asking `patched()`, so it records
 * no patch markers (docs/decisions/015). Runs started without it replay through the patches their
 * histories hold (workflows/histories).
 */
export const CONVERSATION_VERSION = 1;

/** Who answers a conversation as its row is created: what an opening run assumes, and its starter tells Temporal. */
export const NEW_CONVERSATION = { status: 'open', owner: 'ai' } as const satisfies { status: ConversationStatus; owner: ConversationOwner };

export interface ConversationInput {
  tenantId: string;
  conversationId: string;
  /** CONVERSATION_VERSION when the run's chain was started; absent on runs started before it. */
  version?: number;
  /** Set by continue-as-new; absent on a fresh start, when state is loaded from Postgres. */
  carried?: ConversationSummary;
  /**
   * The inbound message this run starts for created the conversation: the run assumes the new
   * row's defaults rather than reading them first, and checks them before it acts on them.
   */
  opening?: boolean;
  /** Overrides the tenant's idle auto-close timeout (tests, benchmarks). */
  idleTimeoutMs?: number;
  /** How long a tool call waits for a human's approval before it expires (default 24 h). */
  approvalTimeoutMs?: number;
}

export interface InboundSignal {
  messageId: string;
}

export interface ActorArgs {
  userId: string;
}
/** Either or both: an agent, a team; null clears. */
export interface AssignArgs extends ActorArgs {
  assigneeId?: string | null;
  teamId?: string | null;
}
export interface AgentReplyArgs extends ActorArgs {
  messageId: string;
  /**
   * The workspace's satisfaction survey, sent in that teammate's name: it changes neither who
   * answers the conversation, nor its assignee, nor its status.
   */
  survey?: true;
}
export interface SnoozeArgs extends ActorArgs {
  /** ISO time, or null to snooze until the customer replies. */
  until: string | null;
}
export interface CloseArgs extends ActorArgs {
  status?: 'resolved' | 'closed';
}

export interface ConversationView {
  tenantId: string;
  conversationId: string;
  status: ConversationStatus;
  owner: ConversationOwner;
  assigneeId: string | null;
  snoozedUntil: string | null;
  pending: number;
  handled: number;
  /** Tool calls waiting for a human's approval. */
  awaitingApproval: string[];
  followUps: number;
}

export interface AiReplyDecision {
  /** null when the responder chose not to reply, or wants tools run first. */
  replyId: string | null;
  handoff: boolean;
  /** Tool calls to run (or put to a human) before the agent's next turn. */
  toolCalls?: Array<{ id: string; needsApproval: boolean }>;
}

/** A human's verdict on a tool call that needs approval. */
export interface ToolDecisionArgs extends ActorArgs {
  callId: string;
  approve: boolean;
}

export interface ToolRunResult {
  status: 'pending' | 'awaiting_approval' | 'succeeded' | 'failed' | 'rejected' | 'expired' | 'blocked';
  handoff?: boolean;
  followUp?: { id: string; dueAt: string };
}

export interface DeliveryResult {
  /** `held`: not sent because the AI no longer owns an open conversation (asked with `whileAiOwns`). */
  status: 'sent' | 'failed' | 'discarded' | 'held';
  providerMessageId: string | null;
}

export interface ConversationState {
  status: ConversationStatus;
  owner: ConversationOwner;
  assigneeId: string | null;
  snoozedUntil: number | null;
  idleTimeoutMs: number;
}

export interface StateChange {
  tenantId: string;
  conversationId: string;
  patch: Partial<Pick<ConversationState, 'status' | 'owner' | 'assigneeId' | 'snoozedUntil'>> & { teamId?: string | null };
  /** Audit action name, e.g. `conversation.taken_over`. */
  action: string;
  actorUserId: string | null;
}

/** The id that makes one trigger event start one run of one automation, however often it is delivered. */
export const automationWorkflowId = (tenantId: string, automationId: string, eventKey: string) =>
  `automation:${tenantId}:${automationId}:${eventKey}`;

/**
 * An automation run's input. Runs started for an event have a run row already (`runId`); a
 * Temporal Schedule starts them with the automation's id, and the first activity writes the row.
 */
export interface AutomationRunInput {
  tenantId: string;
  runId?: string;
  automationId?: string;
  /** Set by continue-as-new. */
  carried?: AutomationCarry;
}

/** Where a run was when it continued-as-new, and what its expressions can read. */
export interface AutomationCarry {
  runId: string;
  nodeId: string;
  seq: number;
  nodes: Record<string, { output: unknown }>;
}

/** A human's verdict on a run's approval step. */
export interface AutomationApprovalArgs {
  nodeId: string;
  approve: boolean;
  userId: string;
}

/** The customer's reply that a `wait for reply` step is waiting for. */
export interface AutomationReplySignal {
  messageId: string;
}

export interface AutomationRunView {
  runId: string | null;
  status: 'running' | 'waiting' | 'succeeded' | 'failed' | 'stopped';
  nodeId: string | null;
  waitingFor: 'reply' | 'approval' | 'delay' | null;
  steps: number;
}

/** An automation's action on a conversation, applied by the conversation's workflow (update `automationAction`). */
export type AutomationActionArgs =
  | { runId: string; action: 'handoff'; to: 'human' | 'ai' }
  | { runId: string; action: 'assign'; assigneeId?: string | null; teamId?: string | null };

export const ticketWorkflowId = (tenantId: string, ticketId: string) => `ticket:${tenantId}:${ticketId}`;

export type TicketStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';

/** A ticket's SLA clock. The policy is a snapshot taken when the ticket was filed: later edits do not move its targets. */
export interface TicketSlaInput {
  tenantId: string;
  ticketId: string;
  status: TicketStatus;
  policy: {
    firstResponseMs: number;
    resolutionMs: number;
    warnBeforeMs: number;
    /** Null: around the clock. */
    businessHours: { days: number[]; openMinute: number; closeMinute: number } | null;
    timeZone: string;
  } | null;
  /** A resolved ticket closes by itself this long after resolution, unless reopened. */
  autoCloseMs: number;
  /** Set by continue-as-new. */
  carried?: TicketSlaCarry;
}

export interface TicketSlaTarget {
  /** Business ms left while paused; null while running. */
  remainingMs: number | null;
  dueAt: number | null;
  warned: boolean;
  met: boolean;
  breached: boolean;
}

export interface TicketSlaCarry {
  status: TicketStatus;
  firstResponse: TicketSlaTarget;
  resolution: TicketSlaTarget;
  resolvedAt: number | null;
}

export interface TicketSlaSignal {
  status?: TicketStatus;
  /** An agent answered the customer for the first time. */
  responded?: boolean;
}

export interface TicketSlaView extends TicketSlaCarry {
  ticketId: string;
}
