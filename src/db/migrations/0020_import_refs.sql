CREATE TABLE "import_refs" (
	"vendor" text NOT NULL,
	"kind" text NOT NULL,
	"external_id" text NOT NULL,
	"klaxon_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_refs_vendor_kind_external_id_pk" PRIMARY KEY("vendor","kind","external_id")
);
