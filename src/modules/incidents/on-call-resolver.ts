/**
 * Who is on call on a schedule at a moment: the seam between escalation and on-call schedules.
 * Escalation only needs this one question answered; the schedules module provides the real answer.
 */
export interface OnCallResolver {
  /** User ids on call on `scheduleId` at `at`; [] when nobody is (or the schedule does not exist). */
  whoIsOnCall(scheduleId: string, at: Date): Promise<string[]>;
}
