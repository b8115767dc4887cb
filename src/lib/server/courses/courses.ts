import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { courseModules, courses, modules, schools } from '../db/schema';
import { field, parseWith, type FieldErrors } from '../validation';
import { changesOf, recordAudit, type AuditActor } from '../audit';
import { moduleOptions, NOT_PICKABLE, pickableModules } from '../learning/catalog';

const COURSE_LABELS = {
	title: '名称',
	description: '简介',
	hours: '学时',
	required: '必修',
	opensOn: '开课日期',
	dueOn: '截止日期',
	modules: '学习模块'
};
const moduleTitles = (list: { title: string }[]) => list.map((m) => m.title).join('、');

export type Course = typeof courses.$inferSelect;

export interface CourseActor {
	id: number;
	role: string;
	schoolId: number | null;
}

/** A course belongs to its school: only that school's admins (and the sysadmin) edit or assign it. */
export function canEditCourse(actor: CourseActor, course: { schoolId: number }): boolean {
	return actor.role === 'sysadmin' || (actor.role === 'school_admin' && actor.schoolId === course.schoolId);
}

export function getCourse(db: Queryable, id: number) {
	const course = db
		.select({ course: courses, schoolName: schools.name })
		.from(courses)
		.innerJoin(schools, eq(schools.id, courses.schoolId))
		.where(eq(courses.id, id))
		.get();
	if (!course) return undefined;
	return { ...course.course, schoolName: course.schoolName, modules: courseModuleList(db, id) };
}

export function courseModuleList(db: Queryable, courseId: number) {
	return db
		.select({ id: modules.id, slug: modules.slug, title: modules.title })
		.from(courseModules)
		.innerJoin(modules, eq(modules.id, courseModules.moduleId))
		.where(eq(courseModules.courseId, courseId))
		.orderBy(asc(courseModules.position))
		.all();
}

/**
 * The modules a course of this school may use (learning/audience.ts, ModulePicker): built-in
 * ones, every school's catalog modules and all of this school's own (its "courses only" ones
 * too), never an office's; a course being edited also keeps the live modules it already has.
 */
export function courseModuleOptions(db: Queryable, schoolId: number | null, courseId?: number) {
	const keep = courseId === undefined ? [] : courseModuleList(db, courseId).map((m) => m.id);
	return moduleOptions(db, { kind: 'school', schoolId }, keep);
}

/** Every course, own school's first. */
export function listCourses(db: Queryable, schoolId: number | null) {
	return db
		.select({
			id: courses.id,
			title: courses.title,
			hours: courses.hours,
			required: courses.required,
			opensOn: courses.opensOn,
			dueOn: courses.dueOn,
			schoolId: courses.schoolId,
			schoolName: schools.name
		})
		.from(courses)
		.innerJoin(schools, eq(schools.id, courses.schoolId))
		.orderBy(asc(courses.dueOn), asc(courses.id))
		.all()
		.sort((a, b) => Number(b.schoolId === schoolId) - Number(a.schoolId === schoolId));
}

const courseInput = z
	.object({
		title: z
			.string({ error: '请填写课程名称（至少 2 个字）' })
			.trim()
			.min(2, { error: '请填写课程名称（至少 2 个字）' })
			.max(60, { error: '课程名称不能超过 60 个字' }),
		description: z
			.string({ error: '简介须为文字' })
			.trim()
			.max(1000, { error: '简介不能超过 1000 个字' })
			.default(''),
		hours: z.coerce
			.number({ error: '请填写学时' })
			.min(0.5, { error: '学时至少 0.5' })
			.max(200, { error: '学时不能超过 200' })
			.refine((v) => Math.round(v * 2) === v * 2, { error: '学时须为 0.5 的倍数' }),
		required: z.enum(['required', 'elective'], { error: '请选择必修或选修' }),
		opensOn: field.day('开课日期'),
		dueOn: field.day('截止日期'),
		moduleIds: z
			.array(
				z.coerce
					.number({ error: '所选模块不存在' })
					.int({ error: '所选模块不存在' })
					.positive({ error: '所选模块不存在' }),
				{ error: '请至少选择一个学习模块' }
			)
			.min(1, { error: '请至少选择一个学习模块' })
	})
	.refine((v) => v.dueOn >= v.opensOn, { path: ['dueOn'], error: '截止日期不能早于开课日期' })
	.refine((v) => new Set(v.moduleIds).size === v.moduleIds.length, {
		path: ['moduleIds'],
		error: '同一模块不能重复选择'
	});

export type CourseInput = {
	title?: string;
	description?: string;
	hours?: string;
	required?: string;
	opensOn?: string;
	dueOn?: string;
	moduleIds?: string[];
};

/**
 * Creates (no id) or edits a course of the actor's school. Modules keep the order
 * given. All in one transaction.
 */
export function saveCourse(
	db: Db,
	actor: CourseActor & AuditActor,
	input: CourseInput,
	id?: number
): { ok: true; id: number } | { ok: false; errors: FieldErrors } {
	const parsed = parseWith(courseInput, input);
	if (!parsed.ok) return parsed;
	const d = parsed.data;
	let schoolId = actor.schoolId;
	let existing: Course | undefined;
	if (id !== undefined) {
		existing = db.select().from(courses).where(eq(courses.id, id)).get();
		if (!existing) return { ok: false, errors: { _form: '没有找到这个专题班' } };
		if (!canEditCourse(actor, existing)) return { ok: false, errors: { _form: '只能修改本校的课程' } };
		schoolId = existing.schoolId;
	}
	if (!schoolId) return { ok: false, errors: { _form: '只有党校管理员可以创建课程' } };
	// Only modules of the school's picker (courseModuleOptions); a course keeps the live modules it already has.
	const keep = existing ? courseModuleList(db, existing.id).map((m) => m.id) : [];
	if (!pickableModules(db, { kind: 'school', schoolId }, d.moduleIds, keep))
		return { ok: false, errors: { moduleIds: NOT_PICKABLE } };
	const now = new Date();
	const values = {
		title: d.title,
		description: d.description,
		hours: d.hours,
		required: d.required === 'required',
		opensOn: d.opensOn,
		dueOn: d.dueOn,
		updatedAt: now
	};
	const courseId = db.transaction((tx) => {
		const cid =
			id ??
			tx
				.insert(courses)
				.values({ ...values, schoolId: schoolId!, createdAt: now })
				.returning({ id: courses.id })
				.get().id;
		if (id !== undefined) tx.update(courses).set(values).where(eq(courses.id, id)).run();
		const before = existing && { ...existing, modules: moduleTitles(courseModuleList(tx, cid)) };
		tx.delete(courseModules).where(eq(courseModules.courseId, cid)).run();
		d.moduleIds.forEach((moduleId, i) =>
			tx
				.insert(courseModules)
				.values({ courseId: cid, moduleId, position: i + 1 })
				.run()
		);
		const after = { ...values, modules: moduleTitles(courseModuleList(tx, cid)) };
		recordAudit(tx, actor, {
			action: before ? 'course.update' : 'course.create',
			schoolId,
			target: { type: 'course', id: cid },
			summary: `${before ? '修改' : '新建'}专题班《${d.title}》`,
			detail: { changes: before ? changesOf(COURSE_LABELS, before, after) : [] },
			at: now
		});
		return cid;
	});
	return { ok: true, id: courseId };
}
