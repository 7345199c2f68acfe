import { api } from '~/api.server';
import { forgetInboxOptions } from '../inbox/inbox-api.server';
import { conversationApi } from './conversation-api.server';
import type { Intent } from './conversation-intents';

/** Runs one parsed intent against the API; an ApiError thrown here is shown next to the control. */
export async function runIntent(token: string, id: string, intent: Intent): Promise<unknown> {
  switch (intent.kind) {
    case 'take-over':
      return api.takeOver(token, id);
    case 'hand-back':
      return api.handBack(token, id);
    case 'assign': {
      const { kind: _, ...target } = intent;
      return conversationApi.assign(token, id, target);
    }
    case 'assign-me':
      // The token says who is signed in; /v1/me turns it into a user id.
      return conversationApi.assign(token, id, { assigneeId: (await api.me(token)).user.id });
    case 'snooze':
      return conversationApi.snooze(token, id, intent.until);
    case 'close':
      return api.close(token, id, intent.status);
    case 'reopen':
      return conversationApi.reopen(token, id);
    case 'reply':
      return api.reply(token, id, intent.content);
    case 'note':
      return conversationApi.addNote(token, id, intent.content, intent.mentions);
    case 'labels': {
      const result = await conversationApi.setLabels(token, id, intent.labels);
      // The label filter's options are cached: a label just added must be pickable right away.
      forgetInboxOptions(token);
      return result;
    }
    case 'tool-call':
      return conversationApi.decideToolCall(token, id, intent.callId, intent.verdict);
  }
}
