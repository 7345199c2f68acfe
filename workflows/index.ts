export * from './conversation.workflow.js';
export * from './knowledge-index.workflow.js';
