import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../core/alerts.js';
import { OUTSIDE_HOURS_CHOICES } from '../../core/urgency.js';
import { isTimeZone } from './support-hours.js';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time "HH:MM" (24:00 ends at midnight)');

const windowSchema = z
  .strictObject({ day: z.number().int().min(0).max(6), start: time, end: time })
  .refine((window) => window.end > window.start, { message: 'a window ends after it starts', path: ['end'] });

export const urgencySettingsBody = z
  .strictObject({
    highUrgencySeverities: z.array(z.enum(ALERT_SEVERITIES)).max(ALERT_SEVERITIES.length),
    timeZone: z.string().max(100).refine(isTimeZone, 'an IANA time zone, such as Europe/Berlin').nullable(),
    windows: z.array(windowSchema).max(50),
    outsideHours: z.enum(OUTSIDE_HOURS_CHOICES),
  })
  .refine((body) => body.windows.length === 0 || body.timeZone !== null, {
    message: 'support hours need a time zone',
    path: ['timeZone'],
  });

export const urgencySettingsSchema = z.object({
  teamId: z.uuid(),
  highUrgencySeverities: z.array(z.enum(ALERT_SEVERITIES)),
  timeZone: z.string().nullable(),
  windows: z.array(z.object({ day: z.number(), start: z.string(), end: z.string() })),
  outsideHours: z.enum(OUTSIDE_HOURS_CHOICES),
});
