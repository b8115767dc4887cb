import type { Db, Queryable } from '../db';
import { writeTransaction } from '../db/statements';
import { audienceParams, type Viewer } from './audience';
import { recordCompletion } from './progress';
import { learningStatements } from './statements';
import type { WatchReport } from '../../watch';

// Watch time of audio/video lessons, decided on the server like reading time. The player reports
// its position (seconds into the file) about every 10 seconds while playing, and on pause, seek,
// end and when the page is hidden. A report credits the stretch since the last one only when the
// real time that passed allows it: seeking ahead, a second tab, a sped-up player or a faster clock
// earn nothing beyond real time. The position is still taken, so watching goes on from there.

/** Network and timer jitter forgiven per report, in seconds (borrowed, not given: see `step`). */
export const WATCH_TOLERANCE_SECONDS = 3;
/** Seconds of the file credited per second of real time (normal speed). */
export const WATCH_RATE = 1;
/** The share of a lesson's length that must be watched for it to count as studied. */
export const WATCH_COMPLETE_SHARE = 0.9;
/** Watched stretches kept per lesson and user; honest watching makes a handful. */
export const MAX_STRETCHES = 500;

export type Stretch = [from: number, to: number];

export interface WatchedLesson {
	id: number;
	moduleId: number;
	title: string;
	kind: 'video' | 'audio';
	mediaId: number;
	durationSeconds: number;
}

export const LESSON_NOT_FOUND = '没有找到这节课程，或它已下线';

export type LessonLookup =
	{ ok: true; lesson: WatchedLesson } | { ok: false; status: 400 | 404; message: string };

/**
 * The audio/video lesson a viewer reports watching (the scoped loader of the report endpoint):
 * a live lesson of a live module the viewer may study, with its file and length. Anything else is
 * refused with the status and the message to answer.
 */
export function watchedLesson(
	db: Queryable,
	viewer: Viewer,
	moduleSlug: string,
	lessonSlug: string
): LessonLookup {
	const lesson = learningStatements(db).visibleLesson.get({
		moduleSlug,
		lessonSlug,
		...audienceParams(db, viewer)
	});
	if (!lesson) return { ok: false, status: 404, message: LESSON_NOT_FOUND };
	return watchable(lesson);
}

/** Whether a lesson can be watched (and its watching reported), and the lesson typed so. */
export function watchable(lesson: {
	id: number;
	moduleId: number;
	title: string;
	kind: 'text' | 'video' | 'audio';
	mediaId: number | null;
	durationSeconds: number | null;
}): LessonLookup {
	const { id, moduleId, title, kind, mediaId, durationSeconds } = lesson;
	if (kind === 'text') return { ok: false, status: 400, message: '本节是阅读课程，不需要记录观看进度' };
	if (mediaId === null) return { ok: false, status: 400, message: '本节的音视频暂不可用，请稍后再试' };
	if (!durationSeconds || durationSeconds <= 0)
		return { ok: false, status: 400, message: '本节音视频的时长未知，暂时无法记录观看进度' };
	return { ok: true, lesson: { id, moduleId, title, kind, mediaId, durationSeconds } };
}

/** Adds a stretch to sorted, disjoint stretches, merging what overlaps or touches. */
export function addStretch(stretches: readonly Stretch[], [from, to]: Stretch): Stretch[] {
	const out: Stretch[] = [];
	let a = from;
	let b = to;
	for (const [x, y] of stretches) {
		if (y < a || x > b) out.push([x, y]);
		else {
			a = Math.min(a, x);
			b = Math.max(b, y);
		}
	}
	out.push([a, b]);
	return out.sort((p, q) => p[0] - q[0]);
}

/** The seconds the stretches cover. */
export function coveredSeconds(stretches: readonly Stretch[]): number {
	return round(stretches.reduce((sum, [from, to]) => sum + (to - from), 0));
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

function parseStretches(text: string): Stretch[] {
	try {
		const value: unknown = JSON.parse(text);
		if (!Array.isArray(value)) return [];
		return value.filter(
			(s): s is Stretch =>
				Array.isArray(s) &&
				s.length === 2 &&
				typeof s[0] === 'number' &&
				typeof s[1] === 'number' &&
				s[0] < s[1]
		);
	} catch {
		return [];
	}
}

interface Credited {
	position: number;
	/** Until when (ms) real time has been used to credit watching: never before the last report. */
	creditedUntil: number;
	stretches: Stretch[];
}

/**
 * One report against the last one the server accepted. The stretch [last, position] is credited
 * only when 0 < position − last ≤ (real seconds since then) × rate + tolerance. Real time used
 * is spent: the next report may only use time after `creditedUntil`, which moves to now, or past
 * now by the tolerance borrowed, so however often reports come, the tolerance is given once and
 * never adds up (all credit ≤ real time since the first report + one tolerance).
 */
export function step(last: Credited, position: number, now: number): Credited {
	const moved = position - last.position;
	const elapsed = (now - last.creditedUntil) / 1000;
	const untouched = { position, creditedUntil: Math.max(now, last.creditedUntil), stretches: last.stretches };
	if (moved <= 0 || moved > elapsed * WATCH_RATE + WATCH_TOLERANCE_SECONDS) return untouched;
	const stretches = addStretch(last.stretches, [last.position, position]);
	if (stretches.length > MAX_STRETCHES) return untouched;
	return {
		position,
		creditedUntil: Math.max(now, last.creditedUntil + Math.ceil((moved / WATCH_RATE) * 1000)),
		stretches
	};
}

export interface WatchState {
	/** Where the learner stopped (seconds). */
	position: number;
	/** Where the player starts: the stored position, or the start once the end was reached. */
	resumeAt: number;
	watchedSeconds: number;
	/** Whole percent of the length credited as watched (0–100). */
	watchedPercent: number;
	completed: boolean;
}

function percentOf(watchedSeconds: number, durationSeconds: number): number {
	return Math.min(100, Math.floor((watchedSeconds / durationSeconds) * 100 + 1e-9));
}

const watchedEnough = (watchedSeconds: number, durationSeconds: number) =>
	watchedSeconds + 1e-6 >= durationSeconds * WATCH_COMPLETE_SHARE;

/** What the lesson page shows and where its player starts: the user's watching as credited. */
export function watchState(
	db: Queryable,
	userId: number,
	lesson: { id: number; durationSeconds: number }
): WatchState {
	const st = learningStatements(db);
	const row = st.watchRow.get({ userId, lessonId: lesson.id });
	const completed = Boolean(st.completedAt.get({ userId, lessonId: lesson.id })?.completedAt);
	const position = row ? Math.min(row.positionSeconds, lesson.durationSeconds) : 0;
	const watchedSeconds = row?.watchedSeconds ?? 0;
	return {
		position,
		resumeAt: position >= lesson.durationSeconds - WATCH_TOLERANCE_SECONDS ? 0 : position,
		watchedSeconds,
		watchedPercent: percentOf(watchedSeconds, lesson.durationSeconds),
		completed
	};
}

/** The lesson page's player: the file, its length and this user's watching; null for a reading lesson. */
export type LessonPlayer =
	| ({ kind: 'video' | 'audio'; src: string; durationSeconds: number; unavailable: null } & WatchState)
	| { kind: 'video' | 'audio'; unavailable: string };

export function lessonPlayer(
	db: Queryable,
	userId: number,
	lesson: Parameters<typeof watchable>[0]
): LessonPlayer | null {
	if (lesson.kind === 'text') return null;
	const found = watchable(lesson);
	if (!found.ok) return { kind: lesson.kind, unavailable: found.message };
	const { kind, mediaId, durationSeconds } = found.lesson;
	return {
		kind,
		src: `/media/${mediaId}`,
		durationSeconds,
		unavailable: null,
		...watchState(db, userId, found.lesson)
	};
}

export type ReportResult = ({ ok: true } & WatchReport) | { ok: false; status: 400; message: string };

/** The position a report carries, in seconds, or the reason it is refused. */
export function reportedPosition(
	body: unknown,
	durationSeconds: number
): { ok: true; position: number } | { ok: false; message: string } {
	const value =
		typeof body === 'object' && body !== null ? (body as { position?: unknown }).position : undefined;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
		return { ok: false, message: '播放位置不正确，请刷新页面后继续观看' };
	if (value > durationSeconds + WATCH_TOLERANCE_SECONDS)
		return { ok: false, message: '播放位置超出了本节音视频的时长，请刷新页面后继续观看' };
	return { ok: true, position: round(Math.min(value, durationSeconds)) };
}

/**
 * Takes one report of the player's position in one immediate transaction (read-modify-write of
 * the user's row): the first report only sets the position and the time; later ones credit what
 * real time allows (`step`). Once 90 % of the length is credited the lesson completes through the
 * same path as reading (recordCompletion: point once, course completion); it stays completed.
 */
export function reportWatch(
	db: Db,
	user: { id: number; officeId: number | null },
	lesson: WatchedLesson,
	body: unknown,
	now = new Date()
): ReportResult {
	const reported = reportedPosition(body, lesson.durationSeconds);
	if (!reported.ok) return { ok: false, status: 400, message: reported.message };
	const at = now.getTime();
	return writeTransaction(db, () => {
		const st = learningStatements(db);
		const key = { userId: user.id, lessonId: lesson.id };
		const row = st.watchRow.get(key);
		const next: Credited = row
			? step(
					{
						position: row.positionSeconds,
						creditedUntil: row.reportedAt.getTime(),
						stretches: parseStretches(row.watched)
					},
					reported.position,
					at
				)
			: { position: reported.position, creditedUntil: at, stretches: [] };
		const watchedSeconds = coveredSeconds(next.stretches);
		st.saveWatch.run({
			...key,
			position: next.position,
			reportedAt: next.creditedUntil,
			watched: JSON.stringify(next.stretches),
			watchedSeconds
		});
		let completed = Boolean(st.completedAt.get(key)?.completedAt);
		let paid: { awarded: number; capped: boolean } | null = null;
		if (!completed && watchedEnough(watchedSeconds, lesson.durationSeconds)) {
			paid = recordCompletion(db, user, lesson, now);
			completed = true;
		}
		return {
			ok: true,
			position: next.position,
			watchedPercent: percentOf(watchedSeconds, lesson.durationSeconds),
			completed,
			justCompleted: paid !== null,
			awarded: paid?.awarded ?? 0,
			capped: paid?.capped ?? false
		};
	});
}
