export const IMPORT_VENDORS = ['pagerduty', 'oncall', 'opsgenie'] as const;
export type ImportVendor = (typeof IMPORT_VENDORS)[number];
