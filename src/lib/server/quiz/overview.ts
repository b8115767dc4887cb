import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { attempts, lessons, modules, questions, users } from '../db/schema';
import { shanghaiDay } from '../time';
import { visibleModule, type Viewer } from '../learning/audience';
import { answerText, responseText } from './questions';
import { items } from './attempts';
import type { Attempt } from './attempts';
import { getQuizSettings } from './settings';
import { quizStatements } from './statements';

/**
 * The quiz of every module this user may study (learning/audience.ts) that has questions, with
 * their best score (grading by highest attempt) and attempts left.
 */
export function moduleQuizzes(db: Queryable, viewer: Viewer) {
	const userId = viewer.id;
	const mods = db
		.select({ id: modules.id, slug: modules.slug, title: modules.title })
		.from(modules)
		.where(
			and(
				visibleModule(db, viewer),
				sql`EXISTS (SELECT 1 FROM ${questions} WHERE ${questions.moduleId} = ${modules.id} AND ${questions.archivedAt} IS NULL
					AND ${questions.type} <> 'essay')`
			)
		)
		.orderBy(asc(modules.sortOrder), asc(modules.id))
		.all();
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
			settings: {
				draw: s.draw,
				timeLimitMinutes: s.timeLimitMinutes,
				passMark: s.passMark,
				attemptsAllowed: s.attemptsAllowed
			},
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
		.select({
			id: attempts.id,
			day: attempts.day,
			submittedAt: attempts.submittedAt,
			rightCount: attempts.correct,
			total: attempts.total
		})
		.from(attempts)
		.where(and(eq(attempts.userId, userId), eq(attempts.kind, 'daily')))
		.all();
	const done = new Set(rows.filter((attempt) => attempt.submittedAt).map((attempt) => attempt.day));
	let cursor = now.getTime();
	if (!done.has(today)) cursor -= 86_400_000;
	let streak = 0;
	while (done.has(shanghaiDay(new Date(cursor)))) {
		streak++;
		cursor -= 86_400_000;
	}
	return { today: rows.find((attempt) => attempt.day === today) ?? null, streak };
}

/** What an attempt is called on its pages (每日一练 or the module's title) and, for a module quiz, the module. */
export function attemptHeading(
	db: Queryable,
	attempt: Pick<Attempt, 'kind' | 'moduleId'>
): { title: string; moduleSlug: string | null } {
	const mod =
		attempt.moduleId === null
			? undefined
			: db
					.select({ slug: modules.slug, title: modules.title })
					.from(modules)
					.where(eq(modules.id, attempt.moduleId))
					.get();
	return {
		title: attempt.kind === 'daily' ? '每日一练' : (mod?.title ?? '模块测验'),
		moduleSlug: mod?.slug ?? null
	};
}

/** A submitted attempt for its owner: every question with the answer given and, when allowed, the key. */
export function resultView(db: Queryable, attempt: Attempt) {
	const list = items(db, attempt.id);
	const lessonIds = [...new Set(list.map((i) => i.snapshot.lessonId))];
	const lessonRows = lessonIds.length
		? db
				.select({
					id: lessons.id,
					slug: lessons.slug,
					title: lessons.title,
					moduleSlug: modules.slug,
					part: lessons.sourcePart,
					heading: lessons.sourceHeading,
					section: lessons.sourceSection,
					paragraph: lessons.sourceParagraph
				})
				.from(lessons)
				.innerJoin(modules, eq(modules.id, lessons.moduleId))
				.where(inArray(lessons.id, lessonIds))
				.all()
		: [];
	// Where each question rests in the report (its 原文 link), shown with the explanation: only when
	// the quiz shows answers after submission.
	const keys = attempt.showAnswers ? [...new Set(list.map((i) => i.snapshot.key))] : [];
	const sources = new Map(
		keys.length
			? db
					.select({ key: questions.key, sourceRef: questions.sourceRef })
					.from(questions)
					.where(inArray(questions.key, keys))
					.all()
					.map((q) => [q.key, q.sourceRef] as const)
			: []
	);
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
			sourceRef: attempt.showAnswers ? sources.get(i.snapshot.key) || null : null,
			lesson: lesson && {
				href: `/learn/${lesson.moduleSlug}/${lesson.slug}`,
				title: lesson.title,
				// Authored lessons may name no passage of the report.
				source: lesson.part
					? `第${lesson.part}部分${lesson.section ? ' ' + lesson.section : ''}${lesson.paragraph ? ` 第${lesson.paragraph}段` : ''}`
					: null
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
	return quizStatements(db).hardPoints.all(JSON.stringify(officeIds));
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
		.where(
			and(eq(attempts.flaggedFast, true), isNotNull(attempts.submittedAt), inArray(users.officeId, officeIds))
		)
		.orderBy(sql`${attempts.submittedAt} DESC`)
		.limit(100)
		.all();
}
