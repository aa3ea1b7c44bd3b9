ALTER TABLE "escalation_policies" ADD COLUMN "ack_timeout_minutes" integer;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "escalation_first_round" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "ack_timeout_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "incidents_ack_timeout_idx" ON "incidents" USING btree ("ack_timeout_at") WHERE "incidents"."status" = 'acknowledged' AND "incidents"."ack_timeout_at" IS NOT NULL;