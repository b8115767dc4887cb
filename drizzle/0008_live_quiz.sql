CREATE TABLE `live_answers` (
	`live_id` integer NOT NULL,
	`question_index` integer NOT NULL,
	`user_id` integer NOT NULL,
	`response` text NOT NULL,
	`answered_at` integer NOT NULL,
	`correct` integer NOT NULL,
	`score` integer NOT NULL,
	PRIMARY KEY(`live_id`, `question_index`, `user_id`),
	FOREIGN KEY (`live_id`) REFERENCES `live_quizzes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `live_players` (
	`live_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`joined_at` integer NOT NULL,
	`score` integer DEFAULT 0 NOT NULL,
	`rank` integer,
	PRIMARY KEY(`live_id`, `user_id`),
	FOREIGN KEY (`live_id`) REFERENCES `live_quizzes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `live_quizzes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`office_id` integer NOT NULL,
	`host_id` integer NOT NULL,
	`title` text NOT NULL,
	`pin` text NOT NULL,
	`questions` text NOT NULL,
	`seconds_per_question` integer NOT NULL,
	`speed_bonus` integer NOT NULL,
	`phase` text DEFAULT 'lobby' NOT NULL,
	`current_index` integer DEFAULT -1 NOT NULL,
	`question_started_at` integer,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`host_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `live_quizzes_pin` ON `live_quizzes` (`pin`);