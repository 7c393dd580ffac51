DROP INDEX "tickets_group_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_created_idx";--> statement-breakpoint
DROP INDEX "tickets_group_status_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_assignee_status_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_status_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_group_status_priority_idx";--> statement-breakpoint
DROP INDEX "tickets_account_idx";--> statement-breakpoint
DROP INDEX "tickets_requester_idx";--> statement-breakpoint
CREATE INDEX "tickets_group_status_created_idx" ON "tickets" USING btree ("group_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_status_priority_idx" ON "tickets" USING btree ("status","priority_rank","updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_status_created_idx" ON "tickets" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_created_by_idx" ON "tickets" USING btree ("created_by_id","updated_at");--> statement-breakpoint
CREATE INDEX "tickets_group_status_updated_idx" ON "tickets" USING btree ("group_id","status","updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_assignee_status_updated_idx" ON "tickets" USING btree ("assignee_id","status","updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_status_updated_idx" ON "tickets" USING btree ("status","updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_group_status_priority_idx" ON "tickets" USING btree ("group_id","status","priority_rank","updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_account_idx" ON "tickets" USING btree ("account_id","updated_at");--> statement-breakpoint
CREATE INDEX "tickets_requester_idx" ON "tickets" USING btree ("requester_id","updated_at");