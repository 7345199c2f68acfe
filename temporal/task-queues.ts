export const TASK_QUEUE = 'switchboard-main';
