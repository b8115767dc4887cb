import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { courses, enrolments, modules, offices, schools, users } from '../db/schema';
import { saveCourse } from '../courses/courses';
import { assignCourse } from '../courses/enrol';
import { checkCourseCompletion } from '../courses/progress';
import { sendDueNotices } from '../courses/dashboard';
import { shanghaiDay } from '../time';
import { seedStatements } from './statements';

const DAY = 86_400_000;

function moduleIds(db: Db, slugs: string[]): string[] {
	const rows = db
		.select({ id: modules.id, slug: modules.slug })
		.from(modules)
		.where(inArray(modules.slug, slugs))
		.all();
	return slugs.map((slug) => String(rows.find((row) => row.slug === slug)?.id ?? 0));
}

/** When the user had done everything a course asks (last lesson or first quiz pass), or null. */
function readyAt(db: Db, userId: number, courseId: number): number | null {
	const row = seedStatements(db).courseProgress.get({ userId, courseId });
	if (!row || row.lessonsLeft > 0 || row.quizzesLeft > 0) return null;
	return Math.max(row.lastLesson ?? 0, row.lastPass ?? 0);
}

/**
 * Two courses from 中共吕梁市委党校: a 必修 one assigned to every office (already
 * past its due date: some finished, the rest overdue) and a 选修 one assigned to
 * 离石区 and 孝义市 (still open: some finished, some in progress). Completions
 * are dated when each cadre's seeded study met the rule; certificates follow.
 * Runs once: skipped when any course exists.
 */
export function seedCourses(db: Db, now = new Date()): number {
	if (db.select({ id: courses.id }).from(courses).limit(1).get()) return 0;
	const school = db.select().from(schools).where(eq(schools.name, '中共吕梁市委党校')).get();
	const author = db.select().from(users).where(eq(users.username, 'dangxiao')).get();
	if (!school || !author) return 0;
	const actor = {
		id: author.id,
		name: author.name,
		role: 'school_admin' as const,
		schoolId: school.id,
		officeId: null
	};
	const day = (offset: number) => shanghaiDay(new Date(now.getTime() + offset * DAY));
	const officeId = (name: string) =>
		db.select({ id: offices.id }).from(offices).where(eq(offices.name, name)).get()!.id;

	const plan = [
		{
			input: {
				title: '学习贯彻党的二十大精神专题班（人大系统）',
				description:
					'围绕中国式现代化和全过程人民民主两大主题，系统学习党的二十大报告原文，联系人大工作实际。',
				hours: '12',
				required: 'required',
				opensOn: day(-50),
				dueOn: day(-3),
				moduleIds: moduleIds(db, ['chinese-modernization', 'whole-process-democracy'])
			},
			assign: { officeIds: [officeId('吕梁市人大常委会')], includeDescendants: true, usernames: [] },
			assignedAt: now.getTime() - 50 * DAY
		},
		{
			input: {
				title: '乡村振兴与民生保障专题（选学）',
				description: '学习全面推进乡村振兴、推进健康中国建设的部署，结合人大监督和代表工作。',
				hours: '8',
				required: 'elective',
				opensOn: day(-20),
				dueOn: day(25),
				moduleIds: moduleIds(db, ['rural-revitalization', 'healthy-china'])
			},
			assign: {
				officeIds: [officeId('离石区人大常委会'), officeId('孝义市人大常委会')],
				includeDescendants: false,
				usernames: []
			},
			assignedAt: now.getTime() - 20 * DAY
		}
	];
	let completed = 0;
	for (const p of plan) {
		const saved = saveCourse(db, actor, p.input);
		if (!saved.ok) throw new Error(`demo course rejected: ${JSON.stringify(saved.errors)}`);
		assignCourse(db, actor, saved.id, p.assign, new Date(p.assignedAt), false);
		const enrolled = db
			.select({ userId: enrolments.userId })
			.from(enrolments)
			.where(eq(enrolments.courseId, saved.id))
			.all();
		for (const { userId } of enrolled) {
			const ready = readyAt(db, userId, saved.id);
			if (ready === null) continue;
			const at = new Date(Math.min(now.getTime(), Math.max(ready, p.assignedAt) + 2 * 3_600_000));
			completed += db.transaction((tx) => checkCourseCompletion(tx, userId, at));
		}
	}
	sendDueNotices(db, now);
	return completed;
}
