import { desc, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { moduleDrafts, modules, themes, users } from '../db/schema';
import { changesOf, type AuditActor } from '../audit';
import { ownerColumns, authorOwner, type AuthorUser, type Owner } from './owner';
import { DEFAULT_QUIZ, type ModuleDoc } from './doc';
import {
	activeAdminCount,
	actorOwner,
	auditDraft,
	docOf,
	editDraft,
	formError,
	latestVersion,
	NOT_AN_AUTHOR,
	ownedDraft,
	ownerName,
	quoted,
	userName,
	type DraftRow,
	type EditOutcome
} from './store';
import { MODULE_LABELS, parseModuleFields, type ModuleFields } from './validate';
import type { AuthoredRow, Draft, Fields, Result } from './types';

/** The owner's authored modules, the latest edited first. */
export function listAuthored(db: Queryable, owner: Owner): AuthoredRow[] {
	const { ownerSchoolId, ownerOfficeId } = ownerColumns(owner);
	const rows = db
		.select({ draft: moduleDrafts, slug: modules.slug, updatedByName: users.name })
		.from(moduleDrafts)
		.leftJoin(modules, eq(modules.id, moduleDrafts.moduleId))
		.innerJoin(users, eq(users.id, moduleDrafts.updatedBy))
		.where(
			owner.kind === 'school'
				? eq(moduleDrafts.ownerSchoolId, ownerSchoolId!)
				: eq(moduleDrafts.ownerOfficeId, ownerOfficeId!)
		)
		.orderBy(desc(moduleDrafts.updatedAt), desc(moduleDrafts.id))
		.all();
	const themeNames = themeNamesOf(
		db,
		rows.map((r) => docOf(r.draft).themeId)
	);
	return rows.map(({ draft, slug, updatedByName }) => {
		const doc = docOf(draft);
		return {
			draftId: draft.id,
			title: doc.title,
			themeName: themeNames.get(doc.themeId) ?? '',
			status: draft.status,
			returned: draft.status === 'editing' && draft.reviewComment !== null,
			moduleSlug: slug,
			version: latestVersion(db, draft.id),
			withdrawn: draft.withdrawnAt !== null,
			lessonCount: doc.lessons.length,
			questionCount: doc.questions.length,
			updatedAt: draft.updatedAt,
			updatedByName
		};
	});
}

function themeNamesOf(db: Queryable, ids: number[]): Map<number, string> {
	if (ids.length === 0) return new Map();
	const rows = db
		.select({ id: themes.id, name: themes.name })
		.from(themes)
		.where(inArray(themes.id, [...new Set(ids)]))
		.all();
	return new Map(rows.map((t) => [t.id, t.name]));
}

/** The scoped loader: the draft if it belongs to the user's owner, else undefined (404 in one phrase). */
export function authoredDraft(db: Queryable, user: AuthorUser, draftId: number): Draft | undefined {
	const owner = authorOwner(user);
	const row = ownedDraft(db, owner, draftId);
	return owner && row ? draftOf(db, owner, row) : undefined;
}

function draftOf(db: Queryable, owner: Owner, row: DraftRow): Draft {
	const slug = row.moduleId
		? db.select({ slug: modules.slug }).from(modules).where(eq(modules.id, row.moduleId)).get()?.slug
		: undefined;
	return {
		id: row.id,
		owner,
		ownerName: ownerName(db, owner),
		moduleId: row.moduleId,
		moduleSlug: slug ?? null,
		status: row.status,
		doc: docOf(row),
		version: latestVersion(db, row.id),
		withdrawnAt: row.withdrawnAt,
		submittedAt: row.submittedAt,
		submittedById: row.submittedBy,
		submittedByName: userName(db, row.submittedBy),
		reviewComment: row.reviewComment,
		reviewedByName: userName(db, row.reviewedBy),
		updatedAt: row.updatedAt,
		updatedByName: userName(db, row.updatedBy) ?? '',
		singleAdmin: activeAdminCount(db, owner) <= 1
	};
}

/** The quiz settings as the module form's fields (a ticked box is 'on'). */
function quizFields(quiz: ModuleDoc['quiz']): Fields {
	const box = (on: boolean) => (on ? 'on' : '');
	return {
		draw: String(quiz.draw),
		time_limit_minutes: String(quiz.time_limit_minutes),
		pass_mark: String(quiz.pass_mark),
		attempts: String(quiz.attempts),
		shuffle_questions: box(quiz.shuffle_questions),
		shuffle_options: box(quiz.shuffle_options),
		show_answers: box(quiz.show_answers)
	};
}

/** A module as form fields (what its form starts from, and how submission re-checks it). */
export function moduleFields(doc: ModuleDoc): Fields {
	return {
		title: doc.title,
		themeId: String(doc.themeId),
		summary: doc.summary,
		minutes: String(doc.minutes),
		creditHours: String(doc.creditHours),
		inCatalog: doc.inCatalog ? 'on' : 'off',
		intro: doc.intro,
		...quizFields(doc.quiz)
	};
}

/** A new module's fields before anything is typed. */
export function newModuleFields(): Fields {
	return { minutes: '30', creditHours: '0', inCatalog: 'on', ...quizFields(DEFAULT_QUIZ) };
}

/**
 * A new module of the actor's owner, with no lessons or questions yet. Fields: title, themeId,
 * summary, minutes, creditHours, inCatalog ('on'), intro, and the quiz fields (the defaults when
 * the form has none).
 */
export function createDraft(db: Db, actor: AuditActor, fields: Fields): Result<{ id: number }> {
	const owner = actorOwner(actor);
	if (!owner) return formError(NOT_AN_AUTHOR);
	return db.transaction((tx): Result<{ id: number }> => {
		const parsed = parseModuleFields(tx, owner, fields, DEFAULT_QUIZ);
		if (!parsed.ok) return parsed;
		const doc: ModuleDoc = { ...parsed.data, lessons: [], questions: [] };
		const id = insertDraft(tx, actor, owner, doc, {});
		auditDraft(tx, actor, owner, id, 'module.create', `新建学习模块${quoted(doc.title)}`);
		return { ok: true, id };
	});
}

/** Writes a new draft of the owner (a new module, or a copy). Returns its id. */
export function insertDraft(
	tx: Queryable,
	actor: AuditActor,
	owner: Owner,
	doc: ModuleDoc,
	extra: { nextLesson?: number; nextQuestion?: number; copiedFromModuleId?: number }
): number {
	const now = new Date();
	return tx
		.insert(moduleDrafts)
		.values({
			...ownerColumns(owner),
			doc: JSON.stringify(doc),
			...extra,
			createdBy: actor.id,
			createdAt: now,
			updatedBy: actor.id,
			updatedAt: now
		})
		.returning({ id: moduleDrafts.id })
		.get().id;
}

/** Saves the module's own fields (title, theme, summary… and, when the form has them, the quiz settings). */
export function saveModuleFields(db: Db, actor: AuditActor, draftId: number, fields: Fields): Result {
	return editDraft(db, actor, draftId, ({ tx, owner, doc }): EditOutcome<object> => {
		const parsed = parseModuleFields(tx, owner, fields, doc.quiz);
		if (!parsed.ok) return parsed;
		const changes = moduleChanges(tx, doc, parsed.data);
		if (changes.length === 0) return { ok: true, value: {}, summary: '', unchanged: true };
		Object.assign(doc, parsed.data);
		return { ok: true, value: {}, summary: `修改了模块信息${quoted(doc.title)}`, changes };
	});
}

/** The changed fields, labelled for the log (the introduction only as changed, not its text). */
function moduleChanges(db: Queryable, before: ModuleDoc, after: ModuleFields) {
	const { intro: _intro, ...labels } = MODULE_LABELS;
	const flat = (d: ModuleFields) => {
		const { quiz, intro: _, ...rest } = d;
		return { ...rest, ...quiz, themeId: themeNamesOf(db, [d.themeId]).get(d.themeId) ?? String(d.themeId) };
	};
	const changes = changesOf(labels, flat(before), flat(after));
	if (before.intro !== after.intro)
		changes.push({ label: MODULE_LABELS.intro, from: '（原内容）', to: '（已修改）' });
	return changes;
}

/** Whether the owner has only one active admin (used by review, exported for pages that explain it). */
export function ownerHasSingleAdmin(db: Queryable, owner: Owner): boolean {
	return activeAdminCount(db, owner) <= 1;
}
