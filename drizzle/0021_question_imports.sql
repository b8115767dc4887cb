CREATE TABLE `question_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`draft_id` integer NOT NULL,
	`created_by` integer NOT NULL,
	`file_name` text NOT NULL,
	`format` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`draft_id`) REFERENCES `module_drafts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `question_imports_created_idx` ON `question_imports` (`created_at`);