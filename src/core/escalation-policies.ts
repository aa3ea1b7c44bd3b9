/** A person, whoever a schedule has on call, or everyone on a team (its members when the level runs). */
export type EscalationTarget =
  | { type: 'user'; id: string }
  | { type: 'schedule'; id: string }
  | { type: 'team'; id: string }
  /** The team's chat channel (its Slack channel): the incident is posted there when the level runs. */
  | { type: 'team_channel'; id: string };

export interface EscalationLevel {
  /** Minutes to wait after notifying this level before the next level (or the next repetition). */
  delayMinutes: number;
  targets: EscalationTarget[];
}
