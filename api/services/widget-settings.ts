import { z } from '@hono/zod-openapi';
import type { WidgetSettings } from '../../db/schema/index.js';

export const WIDGET_DEFAULTS: WidgetSettings = {
  color: '#3b5bdb',
  greeting: 'Hi! How can we help?',
  preChatForm: false,
};

/** What an admin may change; every field optional on PATCH. */
export const WidgetSettingsPatch = z
  .object({
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #3b5bdb'),
    greeting: z.string().trim().min(1).max(280),
    preChatForm: z.boolean(),
  })
  .partial()
  .strict();

/** The stored settings over the defaults: a workspace that never saved any still gets a whole set. */
export const widgetSettingsOf = (stored: Partial<WidgetSettings> | null | undefined): WidgetSettings => ({ ...WIDGET_DEFAULTS, ...stored });
