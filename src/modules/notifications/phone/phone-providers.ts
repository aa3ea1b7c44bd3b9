import type { PhoneConfig } from './phone-config.js';
import type { PhoneProvider } from './phone-provider.js';
import { createSmsGatewayProvider } from './providers/sms-gateway.js';
import { createTwilioProvider } from './providers/twilio.js';
import { createVonageProvider } from './providers/vonage.js';

/** The providers configured on this server, in default failover order. */
export function configuredPhoneProviders(config: PhoneConfig, publicUrl: string, now: () => Date): PhoneProvider[] {
  return [
    ...(config.twilio ? [createTwilioProvider(config.twilio, publicUrl)] : []),
    ...(config.vonage ? [createVonageProvider(config.vonage, publicUrl, now)] : []),
    ...(config.smsGateway ? [createSmsGatewayProvider(config.smsGateway)] : []),
  ];
}
