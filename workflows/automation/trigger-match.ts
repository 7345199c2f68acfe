/**
 * Does a trigger node's config accept an event? Pure, so routing (activities), the event
 * dispatcher (API) and tests share one answer. The event shapes are what the trigger payloads hold.
 */
import type { NodeType } from './definition.js';

export interface MessageEvent {
  channel: string;
  text: string;
  /** The local classifier's intent, when the automation filters on intents. */
  intent?: string | null;
}

export type TriggerEvent =
  | { type: 'trigger.message_received'; message: MessageEvent }
  | { type: 'trigger.contact_attribute_changed'; changed: string[] }
  | { type: 'trigger.lead_stage_changed'; pipelineId?: string | null; toStageId?: string | null }
  | { type: Exclude<NodeType, 'trigger.message_received' | 'trigger.contact_attribute_changed' | 'trigger.lead_stage_changed'> };

/** Case- and accent-insensitive words, so "Price?" and "PRICE" match the keyword "price". */
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** A keyword matches whole words: "price" matches "the price?" but not "priceless". */
export function containsKeyword(text: string, keyword: string): boolean {
  const t = ` ${fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const k = fold(keyword).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return k.length > 0 && t.includes(` ${k} `);
}

/** Whether a message trigger needs the message's intent to decide. */
export const needsIntent = (config: Record<string, unknown>) => Array.isArray(config.intents) && config.intents.length > 0;

export function triggerMatches(config: Record<string, unknown>, event: TriggerEvent): boolean {
  switch (event.type) {
    case 'trigger.message_received': {
      const channels = (config.channels as string[] | undefined) ?? [];
      const keywords = (config.keywords as string[] | undefined) ?? [];
      const intents = (config.intents as string[] | undefined) ?? [];
      if (channels.length > 0 && !channels.includes(event.message.channel)) return false;
      if (keywords.length > 0 && !keywords.some((k) => containsKeyword(event.message.text, k))) return false;
      if (intents.length > 0 && !(event.message.intent && intents.includes(event.message.intent))) return false;
      return true;
    }
    case 'trigger.contact_attribute_changed':
      return event.changed.includes(String(config.attribute));
    case 'trigger.lead_stage_changed':
      if (config.pipelineId !== undefined && config.pipelineId !== event.pipelineId) return false;
      if (config.stageId !== undefined && config.stageId !== event.toStageId) return false;
      return true;
    default:
      return true;
  }
}
