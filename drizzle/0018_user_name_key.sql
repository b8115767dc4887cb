ALTER TABLE `users` ADD `name_key` text;--> statement-breakpoint
CREATE INDEX `users_name_key_idx` ON `users` (`name_key`,`name`);