import { and, asc, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { OBJECTIVE_TYPES, modules, questions, quizSettings } from '../db/schema';
import type { QuizDefaults } from '../content/pack';
import { parseWith, type FieldErrors } from '../validation';
import { changesOf, recordAudit, type AuditActor } from '../audit';

export type QuizSettings = typeof quizSettings.$inferSelect;

/** The live settings of a module's quiz, created from the content pack's defaults on first use. */
export function getQuizSettings(db: Queryable, moduleId: number): QuizSettings | undefined {
	const existing = db.select().from(quizSettings).where(eq(quizSettings.moduleId, moduleId)).get();
	if (existing) return existing;
	const mod = db
		.select({ quizDefaults: modules.quizDefaults })
		.from(modules)
		.where(eq(modules.id, moduleId))
		.get();
	if (!mod) return undefined;
	const d = JSON.parse(mod.quizDefaults) as QuizDefaults;
	return (
		db
			.insert(quizSettings)
			.values({
				moduleId,
				draw: d.draw,
				timeLimitMinutes: d.time_limit_minutes,
				passMark: d.pass_mark,
				attemptsAllowed: d.attempts,
				shuffleQuestions: d.shuffle_questions,
				shuffleOptions: d.shuffle_options,
				showAnswers: d.show_answers,
				updatedAt: new Date()
			})
			.onConflictDoNothing()
			.returning()
			.get() ?? db.select().from(quizSettings).where(eq(quizSettings.moduleId, moduleId)).get()
	);
}

/** The questions a module quiz may draw: live objective ones (简答 are for exams only). */
export function bankSize(db: Queryable, moduleId: number): number {
	return (
		db
			.select({ n: count() })
			.from(questions)
			.where(
				and(
					eq(questions.moduleId, moduleId),
					isNull(questions.archivedAt),
					inArray(questions.type, [...OBJECTIVE_TYPES])
				)
			)
			.get()?.n ?? 0
	);
}

/**
 * The modules whose quiz settings the 党校 page manages: the built-in ones (shared by everyone).
 * An authored module's quiz settings are part of the module (内容编写): changed in its draft,
 * reviewed and published with a version, so a publish never silently undoes an edit made here.
 */
const builtInQuizModule: SQL = sql`(${modules.archivedAt} IS NULL AND ${modules.ownerOfficeId} IS NULL
	AND ${modules.ownerSchoolId} IS NULL)`;

/** The school quiz settings page's module (by slug), if this school manages its quiz. */
export function schoolQuizModuleBySlug(db: Queryable, slug: string) {
	return db
		.select({ id: modules.id, slug: modules.slug, title: modules.title })
		.from(modules)
		.where(and(eq(modules.slug, slug), builtInQuizModule))
		.get();
}

/** The quizzes a school manages with their settings and the size of their bank, in catalogue order (党校's quiz list). */
export function quizModules(db: Queryable) {
	const list = db
		.select({ id: modules.id, slug: modules.slug, title: modules.title })
		.from(modules)
		.where(builtInQuizModule)
		.orderBy(asc(modules.sortOrder), asc(modules.id))
		.all();
	const banks = new Map(
		db
			.select({ moduleId: questions.moduleId, n: count() })
			.from(questions)
			.where(and(isNull(questions.archivedAt), inArray(questions.type, [...OBJECTIVE_TYPES])))
			.groupBy(questions.moduleId)
			.all()
			.map((b) => [b.moduleId, b.n])
	);
	return list.map((m) => ({ ...m, settings: getQuizSettings(db, m.id)!, bank: banks.get(m.id) ?? 0 }));
}

const checkbox = z
	.string({ error: '请勾选或取消勾选' })
	.optional()
	.transform((v) => v === 'on' || v === 'true');

const settingsInput = z.object({
	draw: z.coerce
		.number({ error: '请填写每次抽题数' })
		.int({ error: '须为整数' })
		.min(1, { error: '至少抽 1 题' })
		.max(100, { error: '最多 100 题' }),
	timeLimitMinutes: z.coerce
		.number({ error: '请填写时限' })
		.int({ error: '须为整数' })
		.min(1, { error: '时限至少 1 分钟' })
		.max(180, { error: '时限最多 180 分钟' }),
	passMark: z.coerce
		.number({ error: '请填写及格分' })
		.int({ error: '须为整数' })
		.min(1, { error: '及格分为 1–100' })
		.max(100, { error: '及格分为 1–100' }),
	attemptsAllowed: z.coerce
		.number({ error: '请填写次数' })
		.int({ error: '须为整数' })
		.min(0, { error: '次数不能为负（0 表示不限）' })
		.max(100, { error: '最多 100 次' }),
	shuffleQuestions: checkbox,
	shuffleOptions: checkbox,
	showAnswers: checkbox
});

/** Edits a module's quiz settings; running attempts keep the settings they started with. */
export function saveQuizSettings(
	db: Queryable,
	actor: AuditActor,
	moduleId: number,
	input: Record<string, string>
): { ok: true } | { ok: false; errors: FieldErrors } {
	const parsed = parseWith(settingsInput, input);
	if (!parsed.ok) return parsed;
	const size = bankSize(db, moduleId);
	if (parsed.data.draw > size)
		return { ok: false, errors: { draw: `题库只有 ${size} 题，抽题数不能超过它` } };
	db.transaction((tx) => {
		const before = getQuizSettings(tx, moduleId)!;
		tx.update(quizSettings)
			.set({ ...parsed.data, updatedAt: new Date() })
			.where(eq(quizSettings.moduleId, moduleId))
			.run();
		const title =
			tx.select({ title: modules.title }).from(modules).where(eq(modules.id, moduleId)).get()?.title ?? '';
		recordAudit(tx, actor, {
			action: 'quiz.settings',
			// Settings are shared by everyone; the entry belongs to the school whose admin changed them.
			schoolId: actor.schoolId ?? null,
			target: { type: 'module', id: moduleId },
			summary: `修改《${title}》的测验设置`,
			detail: { changes: changesOf(SETTING_LABELS, before, parsed.data) }
		});
	});
	return { ok: true };
}

const SETTING_LABELS = {
	draw: '每次抽题数',
	timeLimitMinutes: '时限（分钟）',
	passMark: '及格分（百分制）',
	attemptsAllowed: '可作答次数',
	shuffleQuestions: '打乱题目顺序',
	shuffleOptions: '打乱选项顺序',
	showAnswers: '交卷后显示正确答案和解析'
};
