export const DELIVERY_STATUSES = ['accepted', 'rejected'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
