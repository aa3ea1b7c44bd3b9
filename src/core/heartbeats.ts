/**
 * `up`: pinged in time (or never pinged yet, counted from creation); `missing`: one process
 * claimed the expiry and is storing the missed-heartbeat alert; `down`: that alert is stored.
 * The claim is a conditional UPDATE (`WHERE state = 'up' AND deadline_at <= now`), so however
 * many processes sweep at once, one of them opens the alert.
 */
export const HEARTBEAT_STATES = ['up', 'missing', 'down'] as const;
export type HeartbeatState = (typeof HEARTBEAT_STATES)[number];
