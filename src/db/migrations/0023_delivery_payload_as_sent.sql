ALTER TABLE "webhook_deliveries" ALTER COLUMN "payload" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "payload_truncated_from" integer;