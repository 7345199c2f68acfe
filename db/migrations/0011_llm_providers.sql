CREATE TYPE "public"."llm_provider_kind" AS ENUM('openai', 'groq');--> statement-breakpoint
CREATE TABLE "llm_providers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" "llm_provider_kind" NOT NULL,
	"base_url" text,
	"model" text NOT NULL,
	"sealed_api_key" text NOT NULL,
	"api_key_hint" text NOT NULL,
	"priority" integer DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "llm_providers" ADD CONSTRAINT "llm_providers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "llm_providers_tenant_idx" ON "llm_providers" USING btree ("tenant_id","priority");