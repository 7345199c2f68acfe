/**
 * A private chat's id is the user's id for every bot, and each bot numbers its own messages: our key
 * for a Telegram message names the bot (the token's numeric prefix is the bot's id), so two bots in
 * one workspace never collide.
 */
export const telegramMessageKey = (botToken: string, chatId: string | number, messageId: number) => `${botToken.split(':')[0]}:${chatId}:${messageId}`;
