import type { contactAttributeDefinitions } from '../../../db/schema/index.js';
import type { FieldError } from '../../errors.js';

type Definition = typeof contactAttributeDefinitions.$inferSelect;

/**
 * Checks values written under the workspace's defined attributes against their types; keys it has
 * not defined are kept as given (the AI and automations add their own). Null removes a value.
 */
export function checkAttributes(defs: Definition[], values: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(values)) {
    const def = defs.find((d) => d.key === key);
    if (!def || value === null) continue;
    const field = `attributes.${key}`;
    switch (def.type) {
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) errors.push({ field, message: `${def.label} is a number` });
        break;
      case 'boolean':
        if (typeof value !== 'boolean') errors.push({ field, message: `${def.label} is true or false` });
        break;
      case 'date':
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) errors.push({ field, message: `${def.label} is a date (YYYY-MM-DD)` });
        break;
      case 'select':
        if (typeof value !== 'string' || !(def.options ?? []).includes(value)) errors.push({ field, message: `${def.label} is one of: ${(def.options ?? []).join(', ')}` });
        break;
      default:
        if (typeof value !== 'string') errors.push({ field, message: `${def.label} is text` });
    }
  }
  return errors;
}
