CREATE TABLE `points_period` (
	`user_id` integer NOT NULL,
	`office_id` integer NOT NULL,
	`period` text NOT NULL,
	`points` integer NOT NULL,
	PRIMARY KEY(`user_id`, `office_id`, `period`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `points_period_board_idx` ON `points_period` (`office_id`,`period`,"points" DESC,`user_id`);--> statement-breakpoint
-- Backfill from the ledger (same SQL as points:rebuild).
INSERT INTO `points_period` (user_id, office_id, period, points)
SELECT user_id, office_id, period, sum(points) FROM (
	SELECT user_id, office_id, points, 'd:' || day AS period FROM points_ledger WHERE office_id IS NOT NULL
	UNION ALL SELECT user_id, office_id, points, 'w:' || date(day, '-6 days', 'weekday 1') FROM points_ledger WHERE office_id IS NOT NULL
	UNION ALL SELECT user_id, office_id, points, 'm:' || substr(day, 1, 7) FROM points_ledger WHERE office_id IS NOT NULL
	UNION ALL SELECT user_id, office_id, points, 'y:' || substr(day, 1, 4) FROM points_ledger WHERE office_id IS NOT NULL
	UNION ALL SELECT user_id, office_id, points, 'all' FROM points_ledger WHERE office_id IS NOT NULL
) GROUP BY user_id, office_id, period;
