CREATE TABLE `office_daily` (
	`office_id` integer NOT NULL,
	`day` text NOT NULL,
	`learners` integer NOT NULL,
	PRIMARY KEY(`office_id`, `day`),
	FOREIGN KEY (`office_id`) REFERENCES `offices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Backfill from the day rows of points_period (the same SQL as rebuildPeriods in src/lib/server/points/periods.ts).
INSERT INTO `office_daily` (`office_id`, `day`, `learners`)
	SELECT office_id, substr(period, 3), count(*) FROM points_period
	WHERE period >= 'd:' AND period < 'd;' AND points > 0 GROUP BY office_id, period;
