export * from './alerts.js';
export * from './api-keys.js';
export * from './audit-logs.js';
export * from './integrations.js';
export * from './sessions.js';
export * from './users.js';
export * from './webhook-deliveries.js';
