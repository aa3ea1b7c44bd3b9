import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type AlertDecisionRow, alertDecisions } from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';

/**
 * Kinds recorded so far. Others may be added by any module (the column is free text): name
 * the decision as a past participle or a noun people can read in a trace.
 */
export type DecisionKind =
  | 'routed'
  | 'unrouted'
  | 'silenced'
  | 'inhibited'
  | 'in_maintenance'
  | 'not_suppressed'
  | 'maintenance_ended'
  | (string & {});

export interface NewAlertDecision {
  alertId: string;
  kind: DecisionKind;
  /** One sentence for people. */
  message: string;
  /** The ids involved, e.g. `{ruleIds: [...]}`, `{silenceId}`, `{windowId}`, `{policyId}`. */
  refs?: Record<string, string | string[]>;
  at: Date;
}

/**
 * How any module records a decision about an alert for its trace: call it inside the
 * transaction that makes the decision, so the trace never shows a decision that did not stick.
 */
export async function recordAlertDecisions(executor: Executor, decisions: readonly NewAlertDecision[]): Promise<void> {
  if (decisions.length === 0) return;
  await executor.insert(alertDecisions).values(
    decisions.map((decision) => ({
      id: uuidv7(),
      alertId: decision.alertId,
      kind: decision.kind,
      message: decision.message,
      refs: decision.refs ?? {},
      at: decision.at,
    })),
  );
}

export async function listAlertDecisions(executor: Executor, alertId: string): Promise<AlertDecisionRow[]> {
  return executor
    .select()
    .from(alertDecisions)
    .where(eq(alertDecisions.alertId, alertId))
    .orderBy(asc(alertDecisions.at), asc(alertDecisions.id))
    .limit(1000);
}
