export * from './tenants.js';
export * from './users.js';
export * from './contacts.js';
export * from './conversations.js';
export * from './messages.js';
export * from './audit.js';
export * from './knowledge.js';
export * from './ai-providers.js';
