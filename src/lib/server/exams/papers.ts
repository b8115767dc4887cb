import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { likeContains } from '../db/like';
import { examPapers, modules, questions, type QuestionType, QUESTION_TYPES } from '../db/schema';
import { copyableModules } from '../authoring/copyable';
import { ownerColumns, ownsRow, type Owner } from '../authoring/owner';
import { changesOf, recordAudit, type AuditActor, type AuditEntry, type Tx } from '../audit';
import { ownerScope } from '../authoring/store';
import {
	checkPaper,
	paperQuestionCount,
	paperTotal,
	parsePaperForm,
	ruleCapacities,
	usableBank,
	type PaperInput
} from './paper';
import type { BankQuestion, EssayAnswer, PaperDetail, PaperDoc, PaperSummary, Saved } from './types';

// 试卷: composed by a school or an office from the banks it may use, kept as one JSON doc.
// An exam copies its paper when it is created, so editing a paper changes only later exams.

export const BANK_PAGE_SIZE = 20;

type PaperRow = typeof examPapers.$inferSelect;

/** An audit row about an owner's paper or exam, seen by that owner's admins. */
export function recordOwnerAudit(
	tx: Tx,
	actor: AuditActor,
	owner: Owner,
	entry: Omit<AuditEntry, 'officeId' | 'schoolId'>
): void {
	recordAudit(tx, actor, { ...entry, ...ownerScope(owner) });
}

export function parseDoc(text: string): PaperDoc {
	return JSON.parse(text) as PaperDoc;
}

/** A paper of this owner that is not deleted. */
export function ownPaper(db: Queryable, owner: Owner, id: number): PaperRow | undefined {
	if (!Number.isInteger(id) || id <= 0) return undefined;
	const row = db.select().from(examPapers).where(eq(examPapers.id, id)).get();
	return row && !row.archivedAt && ownsRow(owner, row) ? row : undefined;
}

const ownerWhere = (owner: Owner) =>
	owner.kind === 'school'
		? eq(examPapers.ownerSchoolId, owner.schoolId)
		: eq(examPapers.ownerOfficeId, owner.officeId);

export function listPapers(db: Queryable, owner: Owner): PaperSummary[] {
	return db
		.select({
			id: examPapers.id,
			title: examPapers.title,
			totalPoints: examPapers.totalPoints,
			passMark: examPapers.passMark,
			doc: examPapers.doc,
			updatedAt: examPapers.updatedAt,
			// Qualified by hand: a bare "id" (how Drizzle writes a one-table select) would be e.id here.
			examCount: sql<number>`(SELECT count(*) FROM exams e WHERE e.paper_id = "exam_papers"."id")`
		})
		.from(examPapers)
		.where(and(ownerWhere(owner), isNull(examPapers.archivedAt)))
		.orderBy(desc(examPapers.updatedAt), desc(examPapers.id))
		.all()
		.map(({ doc: text, ...row }) => {
			const doc = parseDoc(text);
			return { ...row, questionCount: paperQuestionCount(doc), sectionCount: doc.sections.length };
		});
}

const bankColumns = {
	id: questions.id,
	moduleId: questions.moduleId,
	moduleTitle: modules.title,
	type: questions.type,
	stem: questions.stem,
	difficulty: questions.difficulty,
	answer: questions.answer
};

function bankQuestionOf(row: {
	id: number;
	moduleId: number;
	moduleTitle: string;
	type: QuestionType;
	stem: string;
	difficulty: number;
	answer: string;
}): BankQuestion {
	return {
		id: row.id,
		moduleId: row.moduleId,
		moduleTitle: row.moduleTitle,
		type: row.type,
		stem: row.stem,
		difficulty: row.difficulty as 1 | 2 | 3,
		rubricTotal:
			row.type === 'essay'
				? (JSON.parse(row.answer) as EssayAnswer).rubric.reduce((sum, r) => sum + r.points, 0)
				: null
	};
}

export function getPaper(db: Queryable, owner: Owner, id: number): PaperDetail | undefined {
	const row = ownPaper(db, owner, id);
	if (!row) return undefined;
	const doc = parseDoc(row.doc);
	const ids = doc.sections.flatMap((s) => (s.kind === 'fixed' ? s.items.map((i) => i.questionId) : []));
	const fixed = ids.length
		? db
				.select(bankColumns)
				.from(questions)
				.innerJoin(modules, eq(modules.id, questions.moduleId))
				.where(inArray(questions.id, ids))
				.all()
		: [];
	return {
		id: row.id,
		owner,
		title: row.title,
		instructions: row.instructions,
		doc,
		totalPoints: row.totalPoints,
		passMark: row.passMark,
		questions: Object.fromEntries(fixed.map((q) => [q.id, bankQuestionOf(q)])),
		ruleCapacity: ruleCapacities(doc, usableBank(db, owner).pool)
	};
}

/** Whether a value has the shape of a paper doc (a form parsed by parsePaperForm always has). */
function isDocShape(doc: unknown): doc is PaperDoc {
	if (!doc || typeof doc !== 'object' || !Array.isArray((doc as PaperDoc).sections)) return false;
	return (doc as PaperDoc).sections.every(
		(s) =>
			s &&
			typeof s === 'object' &&
			typeof s.title === 'string' &&
			typeof s.instructions === 'string' &&
			((s.kind === 'fixed' &&
				Array.isArray(s.items) &&
				s.items.every((i) => i && typeof i.questionId === 'number' && typeof i.points === 'number')) ||
				(s.kind === 'rule' &&
					Array.isArray(s.rules) &&
					s.rules.every(
						(r) =>
							r &&
							(r.moduleId === null || typeof r.moduleId === 'number') &&
							typeof r.type === 'string' &&
							(r.difficulty === null || typeof r.difficulty === 'number') &&
							typeof r.count === 'number' &&
							typeof r.points === 'number'
					)))
	);
}

/** The doc as stored: only the fields of the types, in a fixed order (what the JSON keeps). */
function cleanDoc(doc: PaperDoc): PaperDoc {
	return {
		sections: doc.sections.map((s) =>
			s.kind === 'fixed'
				? {
						kind: 'fixed',
						title: s.title,
						instructions: s.instructions,
						items: s.items.map((i) => ({ questionId: i.questionId, points: i.points }))
					}
				: {
						kind: 'rule',
						title: s.title,
						instructions: s.instructions,
						rules: s.rules.map((r) => ({
							moduleId: r.moduleId,
							type: r.type,
							difficulty: r.difficulty,
							count: r.count,
							points: r.points
						}))
					}
		)
	};
}

/** Checks a paper for this owner; the errors use the editor's field names (paper.ts). */
function check(db: Queryable, owner: Owner, input: PaperInput) {
	if (!isDocShape(input?.doc)) return { _form: '试卷内容无效，请重新编辑' };
	return checkPaper(
		{
			title: String(input.title ?? '').trim(),
			instructions: String(input.instructions ?? '').trim(),
			passMark: typeof input.passMark === 'number' ? input.passMark : NaN,
			doc: input.doc
		},
		usableBank(db, owner)
	);
}

const PAPER_LABELS = { title: '试卷名称', instructions: '考试说明', totalPoints: '总分', passMark: '及格分' };

export function createPaper(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	input: PaperInput,
	now = new Date()
): Saved<{ id: number }> {
	const errors = check(db, owner, input);
	if (Object.keys(errors).length) return { ok: false, errors };
	const doc = cleanDoc(input.doc);
	const title = input.title.trim();
	return db.transaction((tx) => {
		const id = tx
			.insert(examPapers)
			.values({
				...ownerColumns(owner),
				title,
				instructions: input.instructions.trim(),
				doc: JSON.stringify(doc),
				totalPoints: paperTotal(doc),
				passMark: input.passMark,
				createdBy: actor.id,
				createdAt: now,
				updatedBy: actor.id,
				updatedAt: now
			})
			.returning({ id: examPapers.id })
			.get().id;
		recordOwnerAudit(tx, actor, owner, {
			action: 'paper.create',
			target: { type: 'paper', id },
			summary: `新建试卷《${title}》（${paperTotal(doc)} 分，${paperQuestionCount(doc)} 题）`,
			at: now
		});
		return { ok: true, value: { id } };
	});
}

export function updatePaper(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	id: number,
	input: PaperInput,
	now = new Date()
): Saved<{ id: number }> {
	const before = ownPaper(db, owner, id);
	if (!before) return { ok: false, errors: { _form: '没有找到这份试卷，或不在您的管理范围内' } };
	const errors = check(db, owner, input);
	if (Object.keys(errors).length) return { ok: false, errors };
	const doc = cleanDoc(input.doc);
	const after = {
		title: input.title.trim(),
		instructions: input.instructions.trim(),
		doc: JSON.stringify(doc),
		totalPoints: paperTotal(doc),
		passMark: input.passMark
	};
	return db.transaction((tx) => {
		tx.update(examPapers)
			.set({ ...after, updatedBy: actor.id, updatedAt: now })
			.where(eq(examPapers.id, id))
			.run();
		const changes = changesOf(PAPER_LABELS, before, after);
		if (before.doc !== after.doc) changes.push({ label: '题目', from: '（原题目）', to: '（已修改）' });
		recordOwnerAudit(tx, actor, owner, {
			action: 'paper.update',
			target: { type: 'paper', id },
			summary: `修改试卷《${after.title}》`,
			detail: { changes },
			at: now
		});
		return { ok: true, value: { id } };
	});
}

/** Creates (id null) or updates a paper from the editor's form or a parsed input. */
export function savePaper(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	id: number | null,
	input: PaperInput | FormData,
	now = new Date()
): Saved<{ id: number }> {
	const parsed = input instanceof FormData ? parsePaperForm(input) : input;
	return id === null
		? createPaper(db, actor, owner, parsed, now)
		: updatePaper(db, actor, owner, id, parsed, now);
}

/** Deletes a paper from the lists (archived): the exams made from it keep their own copy. */
export function archivePaper(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	id: number,
	now = new Date()
): Saved<null> {
	const paper = ownPaper(db, owner, id);
	if (!paper) return { ok: false, errors: { _form: '没有找到这份试卷，或不在您的管理范围内' } };
	return db.transaction((tx) => {
		tx.update(examPapers).set({ archivedAt: now }).where(eq(examPapers.id, id)).run();
		recordOwnerAudit(tx, actor, owner, {
			action: 'paper.archive',
			target: { type: 'paper', id },
			summary: `删除试卷《${paper.title}》`,
			at: now
		});
		return { ok: true, value: null };
	});
}

/** The live modules a paper's rules may name (built-in ones, then the owner's own). */
export function paperModules(db: Queryable, owner: Owner): { id: number; title: string; builtIn: boolean }[] {
	return copyableModules(db, owner).map((m) => ({ id: m.id, title: m.title, builtIn: m.builtIn }));
}

/** The paper editor's question picker: live questions of the banks the owner may use, 20 a page. */
export function bankQuestions(
	db: Queryable,
	owner: Owner,
	filter: { moduleId?: number; type?: QuestionType; q?: string; page?: number }
): { rows: BankQuestion[]; total: number } {
	const usable = copyableModules(db, owner).map((m) => m.id);
	const moduleIds = filter.moduleId ? usable.filter((id) => id === filter.moduleId) : usable;
	if (moduleIds.length === 0) return { rows: [], total: 0 };
	const text = filter.q?.trim();
	const where = and(
		inArray(questions.moduleId, moduleIds),
		isNull(questions.archivedAt),
		filter.type && (QUESTION_TYPES as readonly string[]).includes(filter.type)
			? eq(questions.type, filter.type)
			: undefined,
		text ? likeContains(questions.stem, text) : undefined
	);
	const total = db.select({ n: count() }).from(questions).where(where).get()?.n ?? 0;
	const page = Math.max(1, Math.floor(filter.page ?? 1));
	const rows = db
		.select(bankColumns)
		.from(questions)
		.innerJoin(modules, eq(modules.id, questions.moduleId))
		.where(where)
		.orderBy(asc(modules.sortOrder), asc(questions.moduleId), asc(questions.id))
		.limit(BANK_PAGE_SIZE)
		.offset((page - 1) * BANK_PAGE_SIZE)
		.all()
		.map(bankQuestionOf);
	return { rows, total };
}

/** The owner's papers an exam may use, newest first. */
export function paperOptions(
	db: Queryable,
	owner: Owner
): { id: number; title: string; totalPoints: number }[] {
	return db
		.select({ id: examPapers.id, title: examPapers.title, totalPoints: examPapers.totalPoints })
		.from(examPapers)
		.where(and(ownerWhere(owner), isNull(examPapers.archivedAt)))
		.orderBy(desc(examPapers.updatedAt), desc(examPapers.id))
		.all();
}
