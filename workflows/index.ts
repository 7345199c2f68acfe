export * from './conversation.workflow.js';
export * from './knowledge-index.workflow.js';
export * from './automation-run.workflow.js';
export * from './ticket-sla.workflow.js';
export * from './contact-import.workflow.js';
