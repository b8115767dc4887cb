import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import {
	EXAM_COUNTING,
	courses,
	examAttempts,
	examGraders,
	examPapers,
	exams,
	questions,
	users
} from '../db/schema';
import { ownerColumns, type Owner } from '../authoring/owner';
import { changesOf, type AuditActor, type Change } from '../audit';
import { PINYIN_ORDER } from '../users/name-key';
import { isCalendarDay } from '../validation';
import { isHalfStep, paperQuestionCount } from './paper';
import { EXAM_NOT_FOUND, ownedExam, type ExamRow } from './owned';
import { ownPaper, parseDoc, recordOwnerAudit } from './papers';
import { finaliseExamAttempt, runningAttemptsOf } from './taking';
import type { ExamDetail, ExamPhase, ExamSettings, ExamSummary, FieldErrors, PaperDoc, Saved } from './types';

// 考试: a paper (copied when the exam is created) held in a window for assigned candidates.
// Until the first candidate starts everything may change (choosing another paper copies it
// again); after that only the title, instructions, a later close, the release time, the
// graders and whether candidates may review their answers.

export { EXAM_NOT_FOUND } from './owned';
export const MAX_EXAM_TITLE = 60;
export const MAX_EXAM_INSTRUCTIONS = 2000;
export const MIN_DURATION = 5;
export const MAX_DURATION = 600;
export const MAX_ATTEMPTS = 10;
export const MAX_CREDIT_HOURS = 20;
export const MAX_GRADING_MARGIN = 100;

/** Where an exam stands, as the admin sees it (a candidate's own 补考 window is theirs). */
export function examPhase(
	exam: { opensAt: Date; closesAt: Date; releasedAt: Date | null; cancelledAt: Date | null },
	now: Date
): ExamPhase {
	if (exam.cancelledAt) return 'cancelled';
	if (exam.releasedAt) return 'released';
	if (now < exam.opensAt) return 'scheduled';
	if (now < exam.closesAt) return 'open';
	return 'closed';
}

const ownerWhere = (owner: Owner) =>
	owner.kind === 'school' ? eq(exams.ownerSchoolId, owner.schoolId) : eq(exams.ownerOfficeId, owner.officeId);

/** Whether any candidate has started (then the paper and the timing are fixed). */
export function examStarted(db: Queryable, examId: number): boolean {
	return !!db
		.select({ id: examAttempts.id })
		.from(examAttempts)
		.where(eq(examAttempts.examId, examId))
		.limit(1)
		.get();
}

/** Whether a paper doc has 简答: a rule of that type, or a fixed item that is one. */
export function docHasEssays(db: Queryable, doc: PaperDoc): boolean {
	if (doc.sections.some((s) => s.kind === 'rule' && s.rules.some((r) => r.type === 'essay'))) return true;
	const ids = doc.sections.flatMap((s) => (s.kind === 'fixed' ? s.items.map((i) => i.questionId) : []));
	if (ids.length === 0) return false;
	return !!db
		.select({ id: questions.id })
		.from(questions)
		.where(and(inArray(questions.id, ids), eq(questions.type, 'essay')))
		.limit(1)
		.get();
}

export function listExams(db: Queryable, owner: Owner, now = new Date()): ExamSummary[] {
	return db
		.select({
			id: exams.id,
			title: exams.title,
			opensAt: exams.opensAt,
			closesAt: exams.closesAt,
			releasedAt: exams.releasedAt,
			cancelledAt: exams.cancelledAt,
			durationMinutes: exams.durationMinutes,
			// Qualified by hand: Drizzle writes a one-table select's columns bare ("id"), which inside
			// these subqueries would name the subquery's own id.
			candidates: sql<number>`(SELECT count(*) FROM exam_candidates c WHERE c.exam_id = "exams"."id" AND c.active = 1)`,
			submitted: sql<number>`(SELECT count(DISTINCT a.user_id) FROM exam_attempts a
				WHERE a.exam_id = "exams"."id" AND a.submitted_at IS NOT NULL)`,
			// Submitted answers without a final score are the 简答 still to grade (objective ones are scored on submission).
			toGrade: sql<number>`(SELECT count(*) FROM exam_attempt_items i JOIN exam_attempts a ON a.id = i.attempt_id
				WHERE a.exam_id = "exams"."id" AND a.submitted_at IS NOT NULL AND i.score IS NULL)`
		})
		.from(exams)
		.where(ownerWhere(owner))
		.orderBy(desc(exams.opensAt), desc(exams.id))
		.all()
		.map(({ releasedAt, cancelledAt, ...row }) => ({
			...row,
			phase: examPhase({ opensAt: row.opensAt, closesAt: row.closesAt, releasedAt, cancelledAt }, now)
		}));
}

function graderIdsOf(db: Queryable, examId: number): number[] {
	return db
		.select({ userId: examGraders.userId })
		.from(examGraders)
		.where(eq(examGraders.examId, examId))
		.all()
		.map((r) => r.userId);
}

export function getExam(db: Queryable, owner: Owner, id: number, now = new Date()): ExamDetail | undefined {
	const row = ownedExam(db, owner, id);
	if (!row) return undefined;
	const doc = parseDoc(row.paperDoc);
	return {
		id: row.id,
		owner,
		title: row.title,
		instructions: row.instructions,
		paperId: row.paperId,
		opensAt: row.opensAt,
		closesAt: row.closesAt,
		durationMinutes: row.durationMinutes,
		attemptsAllowed: row.attemptsAllowed,
		counting: row.counting,
		showReview: row.showReview,
		secondGrading: row.secondGrading,
		gradingMargin: row.gradingMargin,
		releaseAt: row.releaseAt,
		courseId: row.courseId,
		creditHours: row.creditHours,
		graderIds: graderIdsOf(db, row.id),
		phase: examPhase(row, now),
		totalPoints: row.totalPoints,
		passMark: row.passMark,
		questionCount: paperQuestionCount(doc),
		releasedAt: row.releasedAt,
		started: examStarted(db, row.id),
		hasEssays: docHasEssays(db, doc)
	};
}

/** The admins who may grade an owner's exams: a school's admins, or the office's own admins (pinyin order). */
export function graderOptions(db: Queryable, owner: Owner): { id: number; name: string; username: string }[] {
	return db
		.select({ id: users.id, name: users.name, username: users.username })
		.from(users)
		.where(
			and(
				eq(users.active, true),
				owner.kind === 'school'
					? and(eq(users.role, 'school_admin'), eq(users.schoolId, owner.schoolId))
					: and(eq(users.role, 'office_admin'), eq(users.officeId, owner.officeId))
			)
		)
		.orderBy(...PINYIN_ORDER)
		.all();
}

/** The courses a school's exam may belong to (its own); none for an office's exams. */
export function courseOptions(db: Queryable, owner: Owner): { id: number; title: string }[] {
	if (owner.kind !== 'school') return [];
	return db
		.select({ id: courses.id, title: courses.title })
		.from(courses)
		.where(eq(courses.schoolId, owner.schoolId))
		.orderBy(desc(courses.opensOn), desc(courses.id))
		.all();
}

// ---------------------------------------------------------------- the settings form

const SHANGHAI_MS = 8 * 3_600_000;

/** A `datetime-local` value (YYYY-MM-DDTHH:mm, Asia/Shanghai) as an instant; an invalid Date when it is none. */
export function parseShanghaiLocal(value: string): Date {
	const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(value.trim());
	if (!m || !isCalendarDay(m[1]!)) return new Date(NaN);
	const [h, min] = [Number(m[2]), Number(m[3])];
	if (h > 23 || min > 59) return new Date(NaN);
	const [y, mo, d] = m[1]!.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, mo - 1, d, h, min) - SHANGHAI_MS);
}

/** An instant as a `datetime-local` value in Shanghai time. */
export function shanghaiLocalValue(at: Date | null): string {
	if (!at) return '';
	return new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 16);
}

const valid = (d: Date | null | undefined): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
const intOf = (raw: FormDataEntryValue | null) =>
	typeof raw === 'string' && /^\s*\d{1,6}\s*$/.test(raw) ? Number(raw) : NaN;
const numOf = (raw: FormDataEntryValue | null) =>
	typeof raw === 'string' && /^\s*\d{1,6}(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
const textOf = (raw: FormDataEntryValue | null) => (typeof raw === 'string' ? raw.trim() : '');

/**
 * Reads the exam form: title, instructions, paperId, opensAt, closesAt (datetime-local,
 * Shanghai), durationMinutes, attemptsAllowed, counting, showReview, secondGrading (checkboxes),
 * gradingMargin, releaseAt (optional), courseId (optional), creditHours, graderIds (repeated).
 * Nothing is checked here (createExam and updateExam do): unreadable numbers are NaN and
 * unreadable times invalid Dates, so the form can be shown again.
 */
export function parseExamForm(form: FormData): ExamSettings {
	const release = textOf(form.get('releaseAt'));
	const course = textOf(form.get('courseId'));
	const counting = textOf(form.get('counting'));
	return {
		title: textOf(form.get('title')),
		instructions: textOf(form.get('instructions')),
		paperId: intOf(form.get('paperId')),
		opensAt: parseShanghaiLocal(textOf(form.get('opensAt'))),
		closesAt: parseShanghaiLocal(textOf(form.get('closesAt'))),
		durationMinutes: intOf(form.get('durationMinutes')),
		attemptsAllowed: textOf(form.get('attemptsAllowed')) === '' ? 1 : intOf(form.get('attemptsAllowed')),
		counting: (counting || 'highest') as ExamSettings['counting'],
		showReview: form.get('showReview') === 'on' || form.get('showReview') === 'true',
		secondGrading: form.get('secondGrading') === 'on' || form.get('secondGrading') === 'true',
		gradingMargin: textOf(form.get('gradingMargin')) === '' ? 2 : numOf(form.get('gradingMargin')),
		releaseAt: release === '' ? null : parseShanghaiLocal(release),
		courseId: course === '' ? null : intOf(course),
		creditHours: textOf(form.get('creditHours')) === '' ? 0 : numOf(form.get('creditHours')),
		graderIds: [...new Set(form.getAll('graderIds').map(intOf))]
	};
}

/** The window rules shared by exams and 补考 windows: opens before it closes, the duration fits. */
export function windowErrors(
	opensAt: Date | null,
	closesAt: Date | null,
	durationMinutes: number,
	fields = { opensAt: 'opensAt', closesAt: 'closesAt', durationMinutes: 'durationMinutes' }
): FieldErrors {
	const errors: FieldErrors = {};
	if (!valid(opensAt)) errors[fields.opensAt] = '请选择开始时间（年-月-日 时:分）';
	if (!valid(closesAt)) errors[fields.closesAt] = '请选择结束时间（年-月-日 时:分）';
	if (valid(opensAt) && valid(closesAt)) {
		if (closesAt <= opensAt) errors[fields.closesAt] = '结束时间应晚于开始时间';
		else if (Number.isInteger(durationMinutes)) {
			const length = Math.floor((closesAt.getTime() - opensAt.getTime()) / 60_000);
			if (durationMinutes > length)
				errors[fields.durationMinutes] = `考试时长 ${durationMinutes} 分钟，超过了考试时段的 ${length} 分钟`;
		}
	}
	return errors;
}

/** Every check of the settings for this owner; nothing is written. */
function checkSettings(
	db: Queryable,
	owner: Owner,
	input: ExamSettings,
	now: Date,
	existing?: ExamRow
): { errors: FieldErrors; doc?: PaperDoc; hasEssays: boolean } {
	const errors: FieldErrors = {};
	const set = (key: string, message: string) => {
		errors[key] ??= message;
	};
	const title = String(input.title ?? '').trim();
	if (!title) set('title', '请填写考试名称');
	else if (title.length > MAX_EXAM_TITLE) set('title', `考试名称不能超过 ${MAX_EXAM_TITLE} 个字`);
	if (String(input.instructions ?? '').length > MAX_EXAM_INSTRUCTIONS)
		set('instructions', `考试说明不能超过 ${MAX_EXAM_INSTRUCTIONS} 个字`);
	// The paper: the exam's own copy when it stays; the chosen paper when it is new or changed.
	let doc: PaperDoc | undefined;
	if (existing && input.paperId === existing.paperId) doc = parseDoc(existing.paperDoc);
	else {
		const paper = Number.isInteger(input.paperId) ? ownPaper(db, owner, input.paperId) : undefined;
		if (!paper) set('paperId', Number.isInteger(input.paperId) ? '所选试卷不存在或已删除' : '请选择试卷');
		else doc = parseDoc(paper.doc);
	}
	const d = input.durationMinutes;
	if (!Number.isInteger(d) || d < MIN_DURATION || d > MAX_DURATION)
		set('durationMinutes', `考试时长应为 ${MIN_DURATION}–${MAX_DURATION} 分钟的整数`);
	for (const [k, v] of Object.entries(windowErrors(input.opensAt, input.closesAt, d))) set(k, v);
	const closesMoved =
		!existing || !valid(input.closesAt) || input.closesAt.getTime() !== existing.closesAt.getTime();
	if (closesMoved && valid(input.closesAt) && input.closesAt <= now)
		set('closesAt', '结束时间已经过去，请重新选择');
	const a = input.attemptsAllowed;
	if (!Number.isInteger(a) || a < 1 || a > MAX_ATTEMPTS)
		set('attemptsAllowed', `作答次数应为 1–${MAX_ATTEMPTS} 次`);
	if (!(EXAM_COUNTING as readonly string[]).includes(input.counting)) set('counting', '请选择以哪次成绩为准');
	if (input.releaseAt !== null) {
		if (!valid(input.releaseAt)) set('releaseAt', '请选择成绩公布时间（年-月-日 时:分），或留空由您手动公布');
		else if (valid(input.closesAt) && input.releaseAt < input.closesAt)
			set('releaseAt', '成绩公布时间不能早于考试结束时间');
	}
	const h = input.creditHours;
	if (!isHalfStep(h) || h < 0 || h > MAX_CREDIT_HOURS)
		set('creditHours', `学时应为 0–${MAX_CREDIT_HOURS}，以 0.5 为单位`);
	if (input.courseId !== null) {
		if (owner.kind !== 'school') set('courseId', '单位组织的考试不能计入专题班');
		else {
			const course = Number.isInteger(input.courseId)
				? db.select({ schoolId: courses.schoolId }).from(courses).where(eq(courses.id, input.courseId)).get()
				: undefined;
			if (!course || course.schoolId !== owner.schoolId) set('courseId', '只能计入本校的专题班');
		}
	}
	const m = input.gradingMargin;
	if (!isHalfStep(m) || m < 0.5 || m > MAX_GRADING_MARGIN)
		set('gradingMargin', `分差应为 0.5–${MAX_GRADING_MARGIN} 分，以 0.5 分为单位`);
	const graderIds = Array.isArray(input.graderIds) ? input.graderIds : [];
	const allowed = new Set(graderOptions(db, owner).map((g) => g.id));
	const hasEssays = doc ? docHasEssays(db, doc) : false;
	if (graderIds.some((id) => !allowed.has(id)))
		set('graderIds', owner.kind === 'school' ? '阅卷人须为本校的管理员' : '阅卷人须为本单位的管理员');
	else if (new Set(graderIds).size !== graderIds.length) set('graderIds', '同一阅卷人不能重复选择');
	else if (input.secondGrading && graderIds.length < 3)
		set('graderIds', '双评需要至少 3 名阅卷人：两人分差过大时，由第三人评定');
	else if (hasEssays && graderIds.length < 1) set('graderIds', '试卷含简答题，请至少指定 1 名阅卷人');
	return { errors, doc, hasEssays };
}

const EXAM_LABELS = {
	title: '考试名称',
	instructions: '考试说明',
	paper: '试卷',
	opensAt: '开始时间',
	closesAt: '结束时间',
	durationMinutes: '考试时长（分钟）',
	attemptsAllowed: '作答次数',
	counting: '成绩计算',
	showReview: '允许查看答卷',
	secondGrading: '双评',
	gradingMargin: '分差',
	releaseAt: '成绩公布时间',
	courseId: '计入专题班',
	creditHours: '学时',
	graders: '阅卷人'
};

const COUNTING_WORDS: Record<string, string> = { highest: '取最高分', last: '取最后一次', first: '取第一次' };

/** The settings as the audit log shows them. */
function shown(
	db: Queryable,
	s: ExamSettings & { paperTitle: string }
): Record<keyof typeof EXAM_LABELS, unknown> {
	const time = (d: Date | null) => (d ? shanghaiLocalValue(d).replace('T', ' ') : '');
	const names = s.graderIds.length
		? db
				.select({ name: users.name })
				.from(users)
				.where(inArray(users.id, s.graderIds))
				.orderBy(...PINYIN_ORDER)
				.all()
				.map((u) => u.name)
				.join('、')
		: '';
	return {
		title: s.title,
		instructions: s.instructions,
		paper: s.paperTitle,
		opensAt: time(s.opensAt),
		closesAt: time(s.closesAt),
		durationMinutes: s.durationMinutes,
		attemptsAllowed: s.attemptsAllowed,
		counting: COUNTING_WORDS[s.counting] ?? s.counting,
		showReview: s.showReview,
		secondGrading: s.secondGrading,
		gradingMargin: s.gradingMargin,
		releaseAt: time(s.releaseAt),
		courseId: s.courseId ?? '',
		creditHours: s.creditHours,
		graders: names
	};
}

function paperTitle(db: Queryable, paperId: number): string {
	return (
		db.select({ title: examPapers.title }).from(examPapers).where(eq(examPapers.id, paperId)).get()?.title ??
		''
	);
}

function setGraders(tx: Queryable, examId: number, graderIds: number[]): void {
	tx.delete(examGraders).where(eq(examGraders.examId, examId)).run();
	for (const userId of graderIds) tx.insert(examGraders).values({ examId, userId }).run();
}

/** The columns the settings write, the same on create and on update. */
function settingsColumns(input: ExamSettings) {
	return {
		title: input.title.trim(),
		instructions: input.instructions.trim(),
		opensAt: input.opensAt,
		closesAt: input.closesAt,
		durationMinutes: input.durationMinutes,
		attemptsAllowed: input.attemptsAllowed,
		counting: input.counting,
		showReview: input.showReview,
		secondGrading: input.secondGrading,
		gradingMargin: input.gradingMargin,
		releaseAt: input.releaseAt,
		courseId: input.courseId,
		creditHours: input.creditHours
	};
}

export function createExam(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	input: ExamSettings,
	now = new Date()
): Saved<{ id: number }> {
	const { errors, doc } = checkSettings(db, owner, input, now);
	if (Object.keys(errors).length || !doc) return { ok: false, errors };
	const paper = ownPaper(db, owner, input.paperId)!;
	const title = input.title.trim();
	return db.transaction((tx) => {
		const id = tx
			.insert(exams)
			.values({
				...ownerColumns(owner),
				...settingsColumns(input),
				paperId: paper.id,
				paperDoc: paper.doc,
				totalPoints: paper.totalPoints,
				passMark: paper.passMark,
				createdBy: actor.id,
				createdAt: now,
				updatedAt: now
			})
			.returning({ id: exams.id })
			.get().id;
		setGraders(tx, id, [...new Set(input.graderIds)]);
		recordOwnerAudit(tx, actor, owner, {
			action: 'exam.create',
			target: { type: 'exam', id },
			summary: `新建考试《${title}》（试卷《${paper.title}》）`,
			at: now
		});
		return { ok: true, value: { id } };
	});
}

/** What may still change once a candidate has started: everything else must stay as it is. */
const FIXED_ONCE_STARTED: { key: keyof ExamSettings; same: (a: ExamRow, b: ExamSettings) => boolean }[] = [
	{ key: 'paperId', same: (a, b) => a.paperId === b.paperId },
	{ key: 'opensAt', same: (a, b) => valid(b.opensAt) && a.opensAt.getTime() === b.opensAt.getTime() },
	{ key: 'durationMinutes', same: (a, b) => a.durationMinutes === b.durationMinutes },
	{ key: 'attemptsAllowed', same: (a, b) => a.attemptsAllowed === b.attemptsAllowed },
	{ key: 'counting', same: (a, b) => a.counting === b.counting },
	{ key: 'secondGrading', same: (a, b) => a.secondGrading === b.secondGrading },
	{ key: 'gradingMargin', same: (a, b) => a.gradingMargin === b.gradingMargin },
	{ key: 'courseId', same: (a, b) => a.courseId === b.courseId },
	{ key: 'creditHours', same: (a, b) => a.creditHours === b.creditHours }
];

export function updateExam(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	id: number,
	input: ExamSettings,
	now = new Date()
): Saved<{ id: number }> {
	const existing = ownedExam(db, owner, id);
	if (!existing) return { ok: false, errors: { _form: EXAM_NOT_FOUND } };
	if (existing.cancelledAt) return { ok: false, errors: { _form: '考试已取消，不能再修改' } };
	const started = examStarted(db, id);
	const { errors, doc } = checkSettings(db, owner, input, now, existing);
	if (started) {
		for (const f of FIXED_ONCE_STARTED)
			if (!f.same(existing, input)) errors[f.key] = '已有考生开考，此项不能再修改';
		if (valid(input.closesAt) && input.closesAt < existing.closesAt)
			errors.closesAt = '已有考生开考，结束时间只能推后，不能提前';
	}
	if (Object.keys(errors).length || !doc) return { ok: false, errors };
	const paperChanged = input.paperId !== existing.paperId;
	const paper = paperChanged ? ownPaper(db, owner, input.paperId)! : undefined;
	const before = shown(db, {
		...existing,
		graderIds: graderIdsOf(db, id),
		paperTitle: paperTitle(db, existing.paperId)
	});
	const values = {
		...settingsColumns(input),
		paperId: input.paperId,
		...(paper ? { paperDoc: paper.doc, totalPoints: paper.totalPoints, passMark: paper.passMark } : {}),
		updatedAt: now
	};
	return db.transaction((tx) => {
		tx.update(exams).set(values).where(eq(exams.id, id)).run();
		const graderIds = [...new Set(input.graderIds)];
		setGraders(tx, id, graderIds);
		const after = shown(tx, { ...input, ...values, graderIds, paperTitle: paperTitle(tx, input.paperId) });
		const changes: Change[] = changesOf(EXAM_LABELS, before, after);
		recordOwnerAudit(tx, actor, owner, {
			action: 'exam.update',
			target: { type: 'exam', id },
			summary: `修改考试《${values.title}》`,
			detail: { changes },
			at: now
		});
		return { ok: true, value: { id } };
	});
}

/**
 * Cancels an exam: nobody can start it any more, running sittings are closed with what they
 * saved, and it leaves the candidates' lists. Attempts are kept. Not after results are out.
 */
export function cancelExam(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	id: number,
	now = new Date()
): Saved<null> {
	const exam = ownedExam(db, owner, id);
	if (!exam) return { ok: false, errors: { _form: EXAM_NOT_FOUND } };
	if (exam.cancelledAt) return { ok: false, errors: { _form: '这场考试已经取消' } };
	if (exam.releasedAt) return { ok: false, errors: { _form: '成绩已经公布的考试不能取消' } };
	return db.transaction((tx) => {
		tx.update(exams).set({ cancelledAt: now, updatedAt: now }).where(eq(exams.id, id)).run();
		for (const a of runningAttemptsOf(tx, id)) finaliseExamAttempt(tx, a, now, false);
		recordOwnerAudit(tx, actor, owner, {
			action: 'exam.cancel',
			target: { type: 'exam', id },
			summary: `取消考试《${exam.title}》`,
			at: now
		});
		return { ok: true, value: null };
	});
}
