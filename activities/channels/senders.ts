import type { ChannelSenders, ProviderUrls } from './channel-sender.js';
import { twilioSenders } from './twilio/twilio-sender.js';
import { sesSender } from './ses/ses-sender.js';
import { instagramSender } from './instagram/instagram-sender.js';
import { telegramSender } from './telegram/telegram-sender.js';
import { chatwootSender } from './chatwoot/chatwoot-sender.js';

/** Every provider channel's sender, by connection kind. Each line belongs to its channel's folder. */
export const defaultChannelSenders = (urls: ProviderUrls = {}, opts: { allowPrivateNetworks?: boolean } = {}): ChannelSenders => ({
  ...twilioSenders(urls.twilio),
  email: sesSender(urls.ses),
  instagram: instagramSender(urls.graph),
  telegram: telegramSender(urls.telegram),
  // A tenant-set URL: private addresses only where the operator allows them (ALLOW_PRIVATE_NETWORK_URLS).
  chatwoot: chatwootSender({ allowPrivateNetworks: opts.allowPrivateNetworks ?? false }),
});
