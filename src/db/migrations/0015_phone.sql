CREATE TABLE "phone_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"provider_message_id" text,
	"kind" text NOT NULL,
	"purpose" text NOT NULL,
	"to_number" text NOT NULL,
	"user_id" uuid,
	"notification_id" uuid,
	"incident_id" uuid,
	"status" text NOT NULL,
	"status_detail" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phone_verifications" (
	"contact_method_id" uuid PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_callbacks" (
	"provider" text NOT NULL,
	"callback_key" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_methods" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "phone_verifications" ADD CONSTRAINT "phone_verifications_contact_method_id_contact_methods_id_fk" FOREIGN KEY ("contact_method_id") REFERENCES "public"."contact_methods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "phone_messages_provider_id_unique" ON "phone_messages" USING btree ("provider","provider_message_id");--> statement-breakpoint
CREATE INDEX "phone_messages_to_idx" ON "phone_messages" USING btree ("to_number","created_at");--> statement-breakpoint
CREATE INDEX "phone_messages_user_idx" ON "phone_messages" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "phone_messages_notification_idx" ON "phone_messages" USING btree ("notification_id");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_callbacks_key_unique" ON "provider_callbacks" USING btree ("provider","callback_key");