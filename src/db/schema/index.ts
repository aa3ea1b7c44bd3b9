export * from './alerts.js';
export * from './api-keys.js';
export * from './audit-logs.js';
export * from './integrations.js';
export * from './routing-rules.js';
export * from './teams.js';
export * from './users.js';
export * from './webhook-deliveries.js';
