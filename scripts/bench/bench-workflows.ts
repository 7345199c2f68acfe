/** The bench worker's workflows: the platform's, and the hand-coded baseline. */
export * from '../../workflows/index.js';
export * from './hand-coded-automation.workflow.js';
