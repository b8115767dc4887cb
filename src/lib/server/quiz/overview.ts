import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/statements';
import { attempts, lessons, modules, users } from '../db/schema';
import { shanghaiDay } from '../time';
import { answerText, responseText } from './questions';
import { items } from './attempts';
import type { Attempt } from './attempts';
import { getQuizSettings } from './settings';

/** Every module's quiz with this user's best score (grading by highest attempt) and attempts left. */
export function moduleQuizzes(db: Queryable, userId: number) {
	const mods = db.select({ id: modules.id, slug: modules.slug, title: modules.title }).from(modules).where(isNull(modules.archivedAt)).orderBy(asc(modules.sortOrder)).all();
	const stats = db
		.select({
			moduleId: attempts.moduleId,
			used: sql<number>`count(*)`,
			best: sql<number | null>`max(${attempts.percent})`,
			open: sql<number>`sum(${attempts.submittedAt} IS NULL)`
		})
		.from(attempts)
		.where(and(eq(attempts.userId, userId), eq(attempts.kind, 'module')))
		.groupBy(attempts.moduleId)
		.all();
	return mods.map((m) => {
		const s = getQuizSettings(db, m.id)!;
		const st = stats.find((x) => x.moduleId === m.id);
		const used = st?.used ?? 0;
		return {
			...m,
			settings: { draw: s.draw, timeLimitMinutes: s.timeLimitMinutes, passMark: s.passMark, attemptsAllowed: s.attemptsAllowed },
			best: st?.best ?? null,
			passed: st?.best != null && st.best >= s.passMark,
			used,
			attemptsLeft: s.attemptsAllowed === 0 ? null : Math.max(0, s.attemptsAllowed - used),
			running: (st?.open ?? 0) > 0
		};
	});
}

/** Today's daily practice (if started) and the streak of consecutive days with one submitted. */
export function dailyStatus(db: Queryable, userId: number, now = new Date()) {
	const today = shanghaiDay(now);
	const rows = db
		.select({ id: attempts.id, day: attempts.day, submittedAt: attempts.submittedAt, rightCount: attempts.correct, total: attempts.total })
		.from(attempts)
		.where(and(eq(attempts.userId, userId), eq(attempts.kind, 'daily')))
		.all();
	const done = new Set(rows.filter((r) => r.submittedAt).map((r) => r.day));
	let cursor = now.getTime();
	if (!done.has(today)) cursor -= 86_400_000;
	let streak = 0;
	while (done.has(shanghaiDay(new Date(cursor)))) {
		streak++;
		cursor -= 86_400_000;
	}
	return { today: rows.find((r) => r.day === today) ?? null, streak };
}

/** A submitted attempt for its owner: every question with the answer given and, when allowed, the key. */
export function resultView(db: Queryable, attempt: Attempt) {
	const list = items(db, attempt.id);
	const lessonIds = [...new Set(list.map((i) => i.snapshot.lessonId))];
	const lessonRows = lessonIds.length
		? db
				.select({ id: lessons.id, slug: lessons.slug, title: lessons.title, moduleSlug: modules.slug, part: lessons.sourcePart, heading: lessons.sourceHeading, section: lessons.sourceSection, paragraph: lessons.sourceParagraph })
				.from(lessons)
				.innerJoin(modules, eq(modules.id, lessons.moduleId))
				.where(inArray(lessons.id, lessonIds))
				.all()
		: [];
	return list.map((i) => {
		const lesson = lessonRows.find((l) => l.id === i.snapshot.lessonId);
		return {
			position: i.position,
			type: i.snapshot.type,
			stem: i.snapshot.stem,
			options: i.snapshot.options,
			yourAnswer: responseText(i.snapshot, i.response),
			correct: i.correct === true,
			answered: i.response !== null,
			correctAnswer: attempt.showAnswers ? answerText(i.snapshot) : null,
			explanation: attempt.showAnswers ? i.snapshot.explanation : null,
			lesson: lesson && {
				href: `/learn/${lesson.moduleSlug}/${lesson.slug}`,
				title: lesson.title,
				source: `第${lesson.part}部分${lesson.section ? ' ' + lesson.section : ''} 第${lesson.paragraph}段`
			}
		};
	});
}

/**
 * For office admins: the hard points (questions missed 8+ times) of their
 * members' wrong-answer books, most widespread first.
 */
export function hardPoints(db: Queryable, officeIds: number[]) {
	if (officeIds.length === 0) return [];
	// Prepared (the office dashboard shows it on every view); office ids as one JSON parameter.
	return prepared(
		db,
		`SELECT q.id AS questionId, q.stem, m.title AS moduleTitle, l.title AS lessonTitle, '/learn/' || m.slug || '/' || l.slug AS lessonHref,
			count(*) AS members, sum(wb.wrong_count) AS misses
		FROM wrong_book wb
		JOIN users u ON u.id = wb.user_id
		JOIN questions q ON q.id = wb.question_id
		JOIN modules m ON m.id = q.module_id
		JOIN lessons l ON l.id = q.lesson_id
		WHERE wb.hard = 1 AND u.office_id IN (SELECT value FROM json_each(?)) AND u.active = 1
		GROUP BY q.id ORDER BY count(*) DESC, sum(wb.wrong_count) DESC LIMIT 50`
	).all(JSON.stringify(officeIds)) as { questionId: number; stem: string; moduleTitle: string; lessonTitle: string; lessonHref: string; members: number; misses: number }[];
}

/** For office admins: attempts of their members finished implausibly fast. */
export function fastAttempts(db: Queryable, officeIds: number[]) {
	if (officeIds.length === 0) return [];
	return db
		.select({
			id: attempts.id,
			name: users.name,
			username: users.username,
			moduleTitle: modules.title,
			kind: attempts.kind,
			startedAt: attempts.startedAt,
			submittedAt: attempts.submittedAt,
			total: attempts.total,
			percent: attempts.percent
		})
		.from(attempts)
		.innerJoin(users, eq(users.id, attempts.userId))
		.leftJoin(modules, eq(modules.id, attempts.moduleId))
		.where(and(eq(attempts.flaggedFast, true), isNotNull(attempts.submittedAt), inArray(users.officeId, officeIds)))
		.orderBy(sql`${attempts.submittedAt} DESC`)
		.limit(100)
		.all();
}
