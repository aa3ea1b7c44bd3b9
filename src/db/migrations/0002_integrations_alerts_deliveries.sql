CREATE TABLE "alert_occurrences" (
	"id" uuid PRIMARY KEY NOT NULL,
	"alert_id" uuid NOT NULL,
	"delivery_id" uuid,
	"user_id" uuid,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"integration_id" uuid NOT NULL,
	"integration_name" text NOT NULL,
	"dedup_key" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"source" text,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"links" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"occurrence_count" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"team_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integrations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"secret_hash" text NOT NULL,
	"secret_prefix" text NOT NULL,
	"previous_secret_ciphertext" text,
	"previous_secret_hash" text,
	"previous_secret_expires_at" timestamp with time zone,
	"signature_scheme" text NOT NULL,
	"signature_header" text NOT NULL,
	"signature_algorithm" text NOT NULL,
	"signature_format" text NOT NULL,
	"signature_prefix" text DEFAULT '' NOT NULL,
	"deduplication_window_minutes" integer NOT NULL,
	"rate_limit_per_minute" integer,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"integration_id" uuid NOT NULL,
	"integration_name" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"http_status" integer NOT NULL,
	"reason" text,
	"alert_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"payload" jsonb,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_ip" text,
	"user_agent" text,
	"processing_ms" integer,
	"webhook_id" text
);
--> statement-breakpoint
CREATE INDEX "alert_occurrences_alert_idx" ON "alert_occurrences" USING btree ("alert_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_dedup_unique" ON "alerts" USING btree ("integration_id","dedup_key") WHERE "alerts"."status" IN ('firing', 'acknowledged');--> statement-breakpoint
CREATE INDEX "alerts_status_idx" ON "alerts" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "alerts_integration_idx" ON "alerts" USING btree ("integration_id","id");--> statement-breakpoint
CREATE INDEX "alerts_team_ids_idx" ON "alerts" USING gin ("team_ids");--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_name_unique" ON "integrations" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_secret_hash_unique" ON "integrations" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "integrations_previous_secret_hash_idx" ON "integrations" USING btree ("previous_secret_hash");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_integration_idx" ON "webhook_deliveries" USING btree ("integration_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_webhook_id_unique" ON "webhook_deliveries" USING btree ("integration_id","webhook_id") WHERE "webhook_deliveries"."webhook_id" IS NOT NULL AND "webhook_deliveries"."status" = 'accepted';