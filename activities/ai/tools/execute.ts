import { and, desc, eq, ilike, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '../../../db/client.js';
import { mergeContactRecords } from '../../../db/contact-merge.js';
import { emailKey, phoneDigits, phoneKey } from '../../../db/contact-keys.js';
import { addContactTag } from '../../conversation/reply-records.js';
import {
  contacts,
  conversations,
  followUps,
  leadStageChanges,
  leads,
  messages,
  pipelineStages,
  refunds,
  tickets,
} from '../../../db/schema/index.js';

type Contact = typeof contacts.$inferSelect;

/** What a tool call produced: shown to the model as the tool's answer and stored on the call. */
export interface ToolOutcome {
  ok: boolean;
  message: string;
  data?: Record<string, unknown>;
}

/** What the workflow must do after a tool ran: its own state changes, never the tool's. */
export interface ToolEffects {
  handoff?: boolean;
  followUp?: { id: string; dueAt: string };
}

export interface DbToolRun {
  tx: Tx;
  tenantId: string;
  conversationId: string;
  callId: string;
  contact: Contact;
  args: Record<string, unknown>;
  /** Set by issue_refund's shop endpoint, when the tenant bound one. */
  externalRef?: string | null;
}

const PRIORITY = new Set(['urgent', 'high', 'normal', 'low']);

/**
 * The built-in tools that only touch our own records. Each runs inside the transaction that also
 * marks its call done, so a retried activity never applies a tool twice.
 */
export const DB_TOOLS: Record<string, (run: DbToolRun) => Promise<{ outcome: ToolOutcome; effects?: ToolEffects }>> = {
  async create_ticket({ tx, tenantId, conversationId, contact, args }) {
    const [t] = await tx
      .insert(tickets)
      .values({
        tenantId,
        conversationId,
        contactId: contact.id,
        subject: String(args.subject),
        description: String(args.description ?? ''),
        priority: (PRIORITY.has(String(args.priority)) ? args.priority : 'normal') as 'normal',
        source: 'ai',
      })
      .returning({ id: tickets.id });
    return { outcome: { ok: true, message: 'Ticket created; a teammate will pick it up.', data: { ticketId: t.id } } };
  },

  async add_tag({ tx, contact, args }) {
    const tag = String(args.tag);
    await addContactTag(tx, contact.id, tag);
    return { outcome: { ok: true, message: `Tagged the contact '${tag}'.` } };
  },

  async update_contact({ tx, contact, args }) {
    const patch: Partial<typeof contacts.$inferInsert> = { updatedAt: new Date() };
    if (args.name !== undefined) patch.name = String(args.name);
    if (args.email !== undefined) patch.email = String(args.email);
    if (args.phone !== undefined) patch.phone = String(args.phone);
    // Merged in SQL, so an attribute written meanwhile by someone else is kept.
    if (args.language !== undefined) patch.attributes = sql`${contacts.attributes} || jsonb_build_object('language', ${String(args.language)}::text)` as unknown as Record<string, unknown>;
    await tx.update(contacts).set(patch).where(eq(contacts.id, contact.id));
    return { outcome: { ok: true, message: 'The contact details are updated.', data: { updated: Object.keys(args) } } };
  },

  async update_lead_stage({ tx, tenantId, callId, contact, args }) {
    // The lead still in play: won and lost deals are not the agent's to move.
    const [found] = await tx
      .select({ lead: leads })
      .from(leads)
      .innerJoin(pipelineStages, eq(pipelineStages.id, leads.stageId))
      .where(and(eq(leads.contactId, contact.id), eq(pipelineStages.kind, 'open')))
      .orderBy(desc(leads.updatedAt))
      .limit(1);
    const lead = found?.lead;
    if (!lead) return { outcome: { ok: false, message: 'This customer has no open sales lead.' } };
    const [stage] = await tx
      .select()
      .from(pipelineStages)
      .where(and(eq(pipelineStages.pipelineId, lead.pipelineId), ilike(pipelineStages.name, String(args.stage).replace(/[%_\\]/g, '\\$&'))));
    if (!stage) {
      const names = await tx.select({ name: pipelineStages.name }).from(pipelineStages).where(eq(pipelineStages.pipelineId, lead.pipelineId));
      return { outcome: { ok: false, message: `No stage '${String(args.stage)}'. Stages: ${names.map((n) => n.name).join(', ')}.` } };
    }
    if (stage.id === lead.stageId) return { outcome: { ok: true, message: `The lead is already in '${stage.name}'.` } };
    await tx.update(leads).set({ stageId: stage.id, updatedAt: sql`now()` }).where(eq(leads.id, lead.id));
    await tx.insert(leadStageChanges).values({ tenantId, leadId: lead.id, fromStageId: lead.stageId, toStageId: stage.id, toolCallId: callId });
    return { outcome: { ok: true, message: `The lead moved to '${stage.name}'.`, data: { leadId: lead.id, stage: stage.name } } };
  },

  async schedule_follow_up({ tx, tenantId, conversationId, callId, args }) {
    const dueAt = new Date(Date.now() + Number(args.inHours) * 3_600_000);
    const [f] = await tx
      .insert(followUps)
      .values({ tenantId, conversationId, toolCallId: callId, dueAt, note: String(args.note) })
      .returning({ id: followUps.id, dueAt: followUps.dueAt });
    return {
      outcome: { ok: true, message: `Follow-up scheduled for ${dueAt.toISOString()}.` },
      effects: { followUp: { id: f.id, dueAt: f.dueAt.toISOString() } },
    };
  },

  async handoff({ tx, conversationId, args }) {
    if (args.team) await tx.update(conversations).set({ team: String(args.team) }).where(eq(conversations.id, conversationId));
    return { outcome: { ok: true, message: 'A teammate will take over the conversation.' }, effects: { handoff: true } };
  },

  async issue_refund({ tx, tenantId, conversationId, callId, contact, args, externalRef }) {
    const amountCents = Math.round(Number(args.amount) * 100);
    await tx
      .insert(refunds)
      .values({
        tenantId,
        contactId: contact.id,
        conversationId,
        toolCallId: callId,
        orderNumber: String(args.orderNumber),
        amountCents,
        currency: String(args.currency),
        reason: args.reason === undefined ? null : String(args.reason),
        status: externalRef === undefined ? 'requested' : 'issued',
        externalRef: externalRef ?? null,
      })
      .onConflictDoNothing();
    const message = externalRef === undefined ? 'The refund is approved and recorded; the shop team will carry it out.' : 'The refund is issued.';
    return { outcome: { ok: true, message, data: { amount: Number(args.amount), currency: args.currency } } };
  },

  async merge_contacts({ tx, contact }) {
    const matches = [
      contact.email ? eq(emailKey, contact.email.toLowerCase()) : undefined,
      contact.phone && /\d{6}/.test(phoneDigits(contact.phone)) ? eq(phoneKey, phoneDigits(contact.phone)) : undefined,
    ].filter((m) => m !== undefined);
    if (matches.length === 0) return { outcome: { ok: true, message: 'This contact has no email or phone to match duplicates on.', data: { merged: 0 } } };
    const dupes = await tx
      .select()
      .from(contacts)
      .where(and(ne(contacts.id, contact.id), sql`${contacts.mergedInto} is null`, or(...matches)));
    if (dupes.length === 0) return { outcome: { ok: true, message: 'No duplicates found.', data: { merged: 0 } } };
    const ids = dupes.map((d) => d.id);
    await mergeContactRecords(tx, contact, dupes, null);
    return { outcome: { ok: true, message: `Merged ${ids.length} duplicate contact record(s).`, data: { merged: ids.length } } };
  },

  async export_contacts({ tx, contact }) {
    const [counts] = await tx
      .select({
        conversations: sql<number>`count(distinct ${conversations.id})::int`,
        messages: sql<number>`count(${messages.id})::int`,
      })
      .from(conversations)
      .leftJoin(messages, eq(messages.conversationId, conversations.id))
      .where(eq(conversations.contactId, contact.id));
    const data = {
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      tags: contact.tags,
      attributes: contact.attributes,
      conversations: counts?.conversations ?? 0,
      messages: counts?.messages ?? 0,
      createdAt: contact.createdAt.toISOString(),
    };
    return { outcome: { ok: true, message: "The customer's own data export is ready.", data } };
  },
};
