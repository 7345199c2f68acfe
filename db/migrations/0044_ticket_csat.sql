ALTER TABLE "tenants" ADD COLUMN "csat_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "csat_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "csat_score" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "csat_answered_at" timestamp with time zone;