DROP INDEX `users_office_idx`;--> statement-breakpoint
CREATE INDEX `users_office_idx` ON `users` (`office_id`,`active`,`role`);