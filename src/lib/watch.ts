/**
 * What the server answers a player's position report (POST /learn/<module>/<lesson>/watch,
 * learning/watch.ts reportWatch): what it credited, shared with the lesson page that shows it.
 */
export interface WatchReport {
	position: number;
	watchedPercent: number;
	completed: boolean;
	/** This report completed the lesson: the points it paid (0 when capped). */
	justCompleted: boolean;
	awarded: number;
	capped: boolean;
}
