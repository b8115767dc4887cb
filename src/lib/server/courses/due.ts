/**
 * Due days of enrolments. The course's due day is the school's plan for the people an
 * assignment reaches when it is made. Someone who joins later (a new member, a move, a
 * return) would be overdue at once; they get the course's length from the day they join
 * instead, stored on their enrolment (`enrolments.due_on`), and count against their office
 * only once that day has passed. All days are Asia/Shanghai calendar days (YYYY-MM-DD).
 */
import { addDays } from '../../format';

/** However short the course, a late joiner has at least this many days. */
export const MIN_JOINER_DAYS = 14;

/** Calendar days from one YYYY-MM-DD day to another. */
export function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

/**
 * The own due day of someone enrolled on `day`: the course's length (open to due, at least
 * MIN_JOINER_DAYS) counted from that day. Null when they were enrolled by the course's opening
 * or the course's own due day is no earlier (then the course's day applies).
 */
export function joinerDueOn(course: { opensOn: string; dueOn: string }, day: string): string | null {
	if (day <= course.opensOn) return null;
	const due = addDays(day, Math.max(daysBetween(course.opensOn, course.dueOn), MIN_JOINER_DAYS));
	return due > course.dueOn ? due : null;
}

/** The day an enrolment is due: its own, if later than the course's (which the school may move). */
export function dueOnOf(courseDueOn: string, ownDueOn: string | null): string {
	return ownDueOn !== null && ownDueOn > courseDueOn ? ownDueOn : courseDueOn;
}

/** dueOnOf in SQL, for queries joining `enrolments e` and `courses c`. */
export const DUE_ON_SQL = 'max(c.due_on, coalesce(e.due_on, c.due_on))';
