/** Shapes of the noise-control API: silences, maintenance windows, inhibition and event rules (docs/noise-control.md). */
import type { Item, ResponseOf } from './api-types';

export type Silence = Item<ResponseOf<'/api/silences'>['silences']>;
/** An Alertmanager label matcher, as silences, inhibition rules and maintenance windows hold them. */
export type LabelMatcher = Item<Silence['matchers']>;
export type MaintenanceWindow = Item<ResponseOf<'/api/maintenance-windows'>['windows']>;
export type InhibitionRule = Item<ResponseOf<'/api/inhibition-rules'>['rules']>;
export type EventRule = Item<ResponseOf<'/api/event-rules'>['rules']>;
export type EventRulesDryRun = ResponseOf<'/api/event-rules/dry-run', 'post'>;
