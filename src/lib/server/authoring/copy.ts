import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { lessons, modules, moduleVersions, questions, quizSettings } from '../db/schema';
import type { AuditActor } from '../audit';
import { plainTextOf } from '../content/render';
import type { QuizDefaults } from '../content/pack';
import { ownsRow, type Owner } from './owner';
import type { LessonDoc, ModuleDoc, QuestionDoc } from './doc';
import { actorOwner, auditDraft, formError, NOT_AN_AUTHOR, NOT_FOUND, quoted } from './store';
import { insertDraft } from './drafts';
import { LIMITS } from './validate';
import type { Result } from './types';

/*
 * 复制: a built-in module (系统内容), or a live module of the author's own owner, becomes a new
 * draft of the owner. Lessons and questions get fresh keys (l1…, q1…): the copy is a module of
 * its own, and learners' progress on the original stays with the original.
 */

const COPY_SUFFIX = '（副本）';

export function copyModule(db: Db, actor: AuditActor, moduleId: number): Result<{ id: number }> {
	const owner = actorOwner(actor);
	if (!owner) return formError(NOT_AN_AUTHOR);
	return db.transaction((tx): Result<{ id: number }> => {
		const source = copyableModule(tx, owner, moduleId);
		if (!source) return formError(NOT_FOUND);
		const original = authoredDoc(tx, source.id) ?? builtInDoc(tx, source);
		const doc = rekeyed({
			...original,
			title: copyTitle(original.title),
			inCatalog: owner.kind === 'office' || original.inCatalog
		});
		const id = insertDraft(tx, actor, owner, doc, {
			nextLesson: doc.lessons.length + 1,
			nextQuestion: doc.questions.length + 1,
			copiedFromModuleId: source.id
		});
		auditDraft(
			tx,
			actor,
			owner,
			id,
			'module.copy',
			`复制学习模块${quoted(original.title)}为新模块${quoted(doc.title)}`,
			{
				copiedFromModuleId: source.id
			}
		);
		return { ok: true, id };
	});
}

type ModuleRow = typeof modules.$inferSelect;

/** A live built-in module, or a live module of this owner. */
function copyableModule(db: Queryable, owner: Owner, moduleId: number): ModuleRow | undefined {
	if (!Number.isSafeInteger(moduleId)) return undefined;
	const row = db
		.select()
		.from(modules)
		.where(and(eq(modules.id, moduleId), isNull(modules.archivedAt)))
		.get();
	if (!row) return undefined;
	const builtIn = row.ownerSchoolId === null && row.ownerOfficeId === null;
	return builtIn || ownsRow(owner, row) ? row : undefined;
}

/** "…（副本）", kept within the title's length. */
function copyTitle(title: string): string {
	const room = LIMITS.title - COPY_SUFFIX.length;
	return [...title].slice(0, room).join('') + COPY_SUFFIX;
}

/** An authored module's latest published document (what learners see of it). */
function authoredDoc(db: Queryable, moduleId: number): ModuleDoc | undefined {
	const row = db
		.select({ doc: moduleVersions.doc })
		.from(moduleVersions)
		.where(eq(moduleVersions.moduleId, moduleId))
		.orderBy(desc(moduleVersions.version))
		.get();
	return row ? (JSON.parse(row.doc) as ModuleDoc) : undefined;
}

/** A built-in module as a document, from its live rows (lesson text from the Markdown the sync keeps). */
function builtInDoc(db: Queryable, mod: ModuleRow): ModuleDoc {
	const lessonRows = db
		.select()
		.from(lessons)
		.where(and(eq(lessons.moduleId, mod.id), isNull(lessons.archivedAt)))
		.orderBy(asc(lessons.sortOrder), asc(lessons.id))
		.all();
	const lessonKeys = new Map(lessonRows.map((l) => [l.id, `l${l.id}`]));
	const lessonDocs: LessonDoc[] = lessonRows.map((l) => ({
		key: lessonKeys.get(l.id)!,
		title: l.title,
		kind: l.kind,
		// Rows synced before the Markdown was kept have only HTML: their readable text is the next best.
		body: l.bodyMd || plainTextOf(l.bodyHtml),
		mediaId: l.mediaId,
		source: l.sourcePart
			? {
					part: l.sourcePart,
					heading: l.sourceHeading,
					section: l.sourceSection ?? '',
					paragraph: l.sourceParagraph
				}
			: null
	}));
	const questionDocs: QuestionDoc[] = db
		.select()
		.from(questions)
		.where(and(eq(questions.moduleId, mod.id), isNull(questions.archivedAt)))
		.orderBy(asc(questions.id))
		.all()
		.filter((q) => lessonKeys.has(q.lessonId))
		.map((q) => ({
			key: `q${q.id}`,
			type: q.type,
			stem: q.stem,
			options: JSON.parse(q.options) as string[],
			answer: JSON.parse(q.answer) as QuestionDoc['answer'],
			explanation: q.explanation,
			lessonKey: lessonKeys.get(q.lessonId)!,
			difficulty: ([1, 2, 3].includes(q.difficulty) ? q.difficulty : 2) as 1 | 2 | 3,
			sourceRef: q.sourceRef
		}));
	return {
		title: mod.title,
		themeId: mod.themeId,
		summary: mod.summary,
		minutes: mod.minutes,
		creditHours: mod.creditHours,
		inCatalog: mod.inCatalog,
		// The pack keeps the introduction's Markdown on disk only; its readable text carries the content.
		intro: plainTextOf(mod.introHtml),
		quiz: liveQuiz(db, mod),
		lessons: lessonDocs,
		questions: questionDocs
	};
}

/** The quiz as it runs now (a school may have changed the pack's defaults). */
function liveQuiz(db: Queryable, mod: ModuleRow): QuizDefaults {
	const live = db.select().from(quizSettings).where(eq(quizSettings.moduleId, mod.id)).get();
	if (!live) return JSON.parse(mod.quizDefaults) as QuizDefaults;
	return {
		draw: live.draw,
		time_limit_minutes: live.timeLimitMinutes,
		pass_mark: live.passMark,
		attempts: live.attemptsAllowed,
		shuffle_questions: live.shuffleQuestions,
		shuffle_options: live.shuffleOptions,
		show_answers: live.showAnswers
	};
}

/** The same document with keys l1…, q1… in order, questions following their lessons' new keys. */
function rekeyed(doc: ModuleDoc): ModuleDoc {
	const lessonKeys = new Map(doc.lessons.map((l, i) => [l.key, `l${i + 1}`]));
	return {
		...doc,
		lessons: doc.lessons.map((l) => ({ ...l, key: lessonKeys.get(l.key)! })),
		questions: doc.questions
			.filter((q) => lessonKeys.has(q.lessonKey))
			.map((q, i) => ({ ...q, key: `q${i + 1}`, lessonKey: lessonKeys.get(q.lessonKey)! }))
	};
}
