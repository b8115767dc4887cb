import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import {
	assignments,
	courseModules,
	courses,
	enrolments,
	lessonMedia,
	lessons,
	media,
	moduleDrafts,
	modules,
	moduleVersions,
	questions,
	quizSettings
} from '../db/schema';
import type { AuditActor } from '../audit';
import { hashOf } from '../content/pack';
import { renderMarkdown } from '../content/render';
import type { FieldErrors } from '../validation';
import { ownerColumns, type Owner } from './owner';
import { authoredSlug, type LessonDoc, type ModuleDoc } from './doc';
import {
	actorOwner,
	auditDraft,
	docOf,
	formError,
	NOT_FOUND,
	ownedDraft,
	quoted,
	type DraftRow
} from './store';
import { lessonFigures } from './preview';
import { mediaRefs } from './validate';
import type { Result } from './types';

/*
 * Publishing applies a checked document to the live tables the way the content sync applies the
 * pack: rows keyed by stable slugs (module a<draft>, lesson a<draft>-l3, question a<draft>/q7), so
 * ids — and with them reading progress, the wrong-book and quiz history — carry over; what left
 * the document is archived, never deleted. Running attempts keep their own snapshots.
 */

export interface Approval {
	submittedBy: number;
	approvedBy: number;
	selfApproved: boolean;
}

/** Writes the document as the draft's next version, inside the caller's transaction. Returns the version. */
export function publishDoc(
	tx: Tx,
	draft: DraftRow,
	owner: Owner,
	doc: ModuleDoc,
	approval: Approval,
	now: Date
): number {
	const previous = draft.moduleId
		? (tx.select({ version: modules.version }).from(modules).where(eq(modules.id, draft.moduleId)).get()
				?.version ?? 0)
		: 0;
	const version = previous + 1;
	const moduleId = upsertModule(tx, draft.id, owner, doc, version, now);
	const lessonIds = upsertLessons(tx, draft.id, moduleId, doc.lessons, now);
	upsertQuestions(tx, draft.id, moduleId, doc, lessonIds, now);
	writeQuizSettings(tx, moduleId, doc, now);
	replaceLessonMedia(tx, moduleId, doc.lessons, lessonIds);
	replaceSearchRows(tx, moduleId);
	tx.insert(moduleVersions)
		.values({ draftId: draft.id, moduleId, version, doc: JSON.stringify(doc), ...approval, publishedAt: now })
		.run();
	tx.update(moduleDrafts)
		.set({ moduleId, status: 'published', withdrawnAt: null })
		.where(eq(moduleDrafts.id, draft.id))
		.run();
	return version;
}

function upsertModule(
	tx: Queryable,
	draftId: number,
	owner: Owner,
	doc: ModuleDoc,
	version: number,
	now: Date
): number {
	const values = {
		slug: authoredSlug.module(draftId),
		themeId: doc.themeId,
		title: doc.title,
		summary: doc.summary,
		minutes: doc.minutes,
		// After the pack's modules (their order is small), in the order they were first written.
		sortOrder: 1000 + draftId,
		introHtml: renderMarkdown(doc.intro),
		...ownerColumns(owner),
		inCatalog: doc.inCatalog,
		creditHours: doc.creditHours,
		version,
		quizDefaults: JSON.stringify(doc.quiz),
		contentHash: hashOf([doc.title, doc.themeId, doc.summary, doc.minutes, doc.intro, doc.quiz, version]),
		archivedAt: null,
		updatedAt: now
	};
	return tx
		.insert(modules)
		.values(values)
		.onConflictDoUpdate({ target: modules.slug, set: values })
		.returning({ id: modules.id })
		.get().id;
}

/** The doc's lessons by slug, in the doc's order; the others of the module archived. Returns key → id. */
function upsertLessons(
	tx: Queryable,
	draftId: number,
	moduleId: number,
	list: LessonDoc[],
	now: Date
): Map<string, number> {
	const ids = new Map<string, number>();
	const durations = mediaDurations(
		tx,
		list.flatMap((l) => (l.mediaId === null ? [] : [l.mediaId]))
	);
	list.forEach((lesson, i) => {
		const figures = lessonFigures(lesson.body);
		const values = {
			slug: authoredSlug.lesson(draftId, lesson.key),
			moduleId,
			title: lesson.title,
			sortOrder: i + 1,
			sourcePart: lesson.source?.part ?? '',
			sourceHeading: lesson.source?.heading ?? '',
			sourceSection: lesson.source?.section || null,
			sourceParagraph: lesson.source?.paragraph ?? 0,
			bodyMd: lesson.body,
			bodyHtml: figures.html,
			kind: lesson.kind,
			mediaId: lesson.mediaId,
			durationSeconds: lesson.mediaId === null ? null : (durations.get(lesson.mediaId) ?? null),
			plainText: figures.plainText,
			charCount: figures.charCount,
			minReadSeconds: figures.minReadSeconds,
			contentHash: hashOf(lesson),
			archivedAt: null,
			updatedAt: now
		};
		const row = tx
			.insert(lessons)
			.values(values)
			.onConflictDoUpdate({ target: lessons.slug, set: values })
			.returning({ id: lessons.id })
			.get();
		ids.set(lesson.key, row.id);
	});
	archiveOthers(tx, lessons, moduleId, [...ids.values()], now);
	return ids;
}

function mediaDurations(tx: Queryable, ids: number[]): Map<number, number | null> {
	if (ids.length === 0) return new Map();
	const rows = tx
		.select({ id: media.id, seconds: media.durationSeconds })
		.from(media)
		.where(inArray(media.id, ids))
		.all();
	return new Map(rows.map((r) => [r.id, r.seconds]));
}

function upsertQuestions(
	tx: Queryable,
	draftId: number,
	moduleId: number,
	doc: ModuleDoc,
	lessonIds: Map<string, number>,
	now: Date
): void {
	const ids: number[] = [];
	for (const q of doc.questions) {
		const values = {
			key: authoredSlug.question(draftId, q.key),
			moduleId,
			lessonId: lessonIds.get(q.lessonKey)!,
			type: q.type,
			stem: q.stem,
			options: JSON.stringify(q.options),
			answer: JSON.stringify(q.answer),
			explanation: q.explanation,
			difficulty: q.difficulty,
			sourceRef: q.sourceRef,
			contentHash: hashOf(q),
			archivedAt: null,
			updatedAt: now
		};
		const row = tx
			.insert(questions)
			.values(values)
			.onConflictDoUpdate({ target: questions.key, set: values })
			.returning({ id: questions.id })
			.get();
		ids.push(row.id);
	}
	archiveOthers(tx, questions, moduleId, ids, now);
}

/** Archives the module's live lessons or questions that are not among `keep`. */
function archiveOthers(
	tx: Queryable,
	table: typeof lessons | typeof questions,
	moduleId: number,
	keep: number[],
	now: Date
) {
	tx.update(table)
		.set({ archivedAt: now })
		.where(
			and(
				eq(table.moduleId, moduleId),
				isNull(table.archivedAt),
				keep.length ? notInArray(table.id, keep) : undefined
			)
		)
		.run();
}

/** An authored module's quiz runs as its document says (the doc is where authors change it). */
function writeQuizSettings(tx: Queryable, moduleId: number, doc: ModuleDoc, now: Date): void {
	const values = {
		draw: doc.quiz.draw,
		timeLimitMinutes: doc.quiz.time_limit_minutes,
		passMark: doc.quiz.pass_mark,
		attemptsAllowed: doc.quiz.attempts,
		shuffleQuestions: doc.quiz.shuffle_questions,
		shuffleOptions: doc.quiz.shuffle_options,
		showAnswers: doc.quiz.show_answers,
		updatedAt: now
	};
	tx.insert(quizSettings)
		.values({ moduleId, ...values })
		.onConflictDoUpdate({ target: quizSettings.moduleId, set: values })
		.run();
}

/** The media each live lesson shows (its audio/video and the /media/<id> of its text): who may see the lesson may fetch them. */
function replaceLessonMedia(
	tx: Queryable,
	moduleId: number,
	list: LessonDoc[],
	lessonIds: Map<string, number>
): void {
	tx.run(
		sql`DELETE FROM lesson_media WHERE lesson_id IN (SELECT id FROM lessons WHERE module_id = ${moduleId})`
	);
	const rows = list.flatMap((lesson) => {
		const ids = new Set([...(lesson.mediaId === null ? [] : [lesson.mediaId]), ...mediaRefs(lesson.body)]);
		return [...ids].map((mediaId) => ({ lessonId: lessonIds.get(lesson.key)!, mediaId }));
	});
	if (rows.length) tx.insert(lessonMedia).values(rows).onConflictDoNothing().run();
}

/** The search index rows of this module and its lessons, as the content sync builds them for all. */
export function replaceSearchRows(tx: Queryable, moduleId: number): void {
	tx.run(sql`DELETE FROM search_index WHERE (kind = 'module' AND ref_id = ${moduleId})
		OR (kind = 'lesson' AND ref_id IN (SELECT id FROM lessons WHERE module_id = ${moduleId}))`);
	tx.run(sql`
		INSERT INTO search_index (kind, ref_id, title, body)
		SELECT 'module', id, title, summary FROM modules WHERE id = ${moduleId} AND archived_at IS NULL`);
	tx.run(sql`
		INSERT INTO search_index (kind, ref_id, title, body)
		SELECT 'lesson', l.id, l.title, l.plain_text FROM lessons l
		JOIN modules m ON m.id = l.module_id
		WHERE l.module_id = ${moduleId} AND l.archived_at IS NULL AND m.archived_at IS NULL`);
}

// ---------------------------------------------------------------- 下线

/** Courses whose learners still study the module: an active enrolment or an assignment not withdrawn. */
export function activeCourses(db: Queryable, moduleId: number): string[] {
	return db
		.selectDistinct({ id: courses.id, title: courses.title })
		.from(courses)
		.innerJoin(courseModules, eq(courseModules.courseId, courses.id))
		.where(
			and(
				eq(courseModules.moduleId, moduleId),
				sql`(EXISTS (SELECT 1 FROM ${enrolments} WHERE ${enrolments.courseId} = ${courses.id} AND ${enrolments.active} = 1)
					OR EXISTS (SELECT 1 FROM ${assignments} WHERE ${assignments.courseId} = ${courses.id} AND ${assignments.withdrawnAt} IS NULL))`
			)
		)
		.orderBy(courses.id)
		.all()
		.map((c) => c.title);
}

/**
 * 下线: the live module is archived (gone from the catalog, search, courses and new quizzes;
 * progress and history stay). When active courses use it, `confirmed` must say so: the refusal
 * names them. A withdrawn module comes back with its next approved publish.
 */
export function withdrawModule(
	db: Db,
	actor: AuditActor,
	draftId: number,
	confirmed: boolean
): Result | { ok: false; errors: FieldErrors; courses: string[] } {
	return db.transaction((tx) => {
		const owner = actorOwner(actor);
		const row = ownedDraft(tx, owner, draftId);
		if (!owner || !row) return formError(NOT_FOUND);
		if (row.moduleId === null) return formError('这个模块还没有发布，无需下线');
		if (row.withdrawnAt) return formError('这个模块已经下线');
		const title =
			tx.select({ title: modules.title }).from(modules).where(eq(modules.id, row.moduleId)).get()?.title ??
			docOf(row).title;
		const inUse = activeCourses(tx, row.moduleId);
		if (inUse.length && !confirmed) {
			const names = inUse.map(quoted).join('、');
			return {
				ok: false as const,
				errors: { _form: `专题班${names}正在使用这个模块，下线后学员将无法继续学习它。确认要下线吗？` },
				courses: inUse
			};
		}
		const now = new Date();
		tx.update(modules).set({ archivedAt: now, updatedAt: now }).where(eq(modules.id, row.moduleId)).run();
		replaceSearchRows(tx, row.moduleId);
		tx.update(moduleDrafts).set({ withdrawnAt: now }).where(eq(moduleDrafts.id, row.id)).run();
		const detail = inUse.length ? { courses: inUse } : undefined;
		const also = inUse.length ? `（使用它的专题班：${inUse.map(quoted).join('、')}）` : '';
		auditDraft(tx, actor, owner, row.id, 'module.withdraw', `下线学习模块${quoted(title)}${also}`, detail);
		return { ok: true as const };
	});
}
