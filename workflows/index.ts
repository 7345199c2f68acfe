export * from './conversation.workflow.js';
