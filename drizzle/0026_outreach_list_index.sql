DROP INDEX `outreach_talks_office_idx`;--> statement-breakpoint
CREATE INDEX `outreach_talks_office_held_idx` ON `outreach_talks` (`office_id`,`status`,`held_at`);