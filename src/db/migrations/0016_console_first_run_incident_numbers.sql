CREATE SEQUENCE "public"."incident_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "setup_token" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"token_hash" text NOT NULL,
	"token_ciphertext" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "setup_token_single_row" CHECK ("setup_token"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "number" integer DEFAULT nextval('incident_number_seq') NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_number_unique" ON "incidents" USING btree ("number");