ALTER TABLE "attachments" ADD COLUMN "scan_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "scan_signature" text;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "scanned_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "attachments_scan_pending_idx" ON "attachments" USING btree ("created_at") WHERE scan_status = 'pending';