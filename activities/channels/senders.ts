import type { ChannelSenders, ProviderUrls } from './channel-sender.js';

/** Every provider channel's sender, by connection kind. Each line belongs to its channel's folder. */
export const defaultChannelSenders = (_urls: ProviderUrls = {}): ChannelSenders => ({
});
