import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { canEditCourse, getCourse, saveCourse } from '$lib/server/courses/courses';
import { assignCourse, listAssignments, withdrawAssignment } from '$lib/server/courses/enrol';
import { courseMembers, officeFigures, remindBehind } from '$lib/server/courses/dashboard';
import { courseInputFrom, moduleOptions } from '$lib/server/courses/form';
import { flattenTree, listOffices, officeTree } from '$lib/server/org/offices';
import type { Actions, PageServerLoad } from './$types';

function courseOf(id: string) {
	const course = getCourse(getDb(), Number(id));
	if (!course) error(404, { message: '专题班不存在' });
	return course;
}

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	const course = courseOf(params.id);
	const members = courseMembers(db, course.id);
	return {
		created: url.searchParams.has('created'),
		course: { ...course, required: course.required ? 'required' : 'elective', moduleIds: course.modules.map((m) => m.id) },
		canEdit: canEditCourse(locals.user!, course),
		modules: moduleOptions(db),
		offices: flattenTree(officeTree(listOffices(db))).map((o) => ({ id: o.id, name: o.name, depth: o.depth })),
		assignments: listAssignments(db, course.id),
		figures: officeFigures(members),
		totals: {
			enrolled: members.length,
			completed: members.filter((m) => m.status === 'done').length,
			overdue: members.filter((m) => m.status === 'overdue').length
		}
	};
};

export const actions: Actions = {
	save: async ({ params, request, locals }) => {
		const values = courseInputFrom(await request.formData());
		const result = saveCourse(getDb(), locals.user!, values, Number(params.id));
		if (!result.ok) return fail(400, { action: 'save', values, errors: result.errors });
		return { notice: '已保存' };
	},
	assign: async ({ params, request, locals }) => {
		const form = await request.formData();
		const input = {
			officeIds: form.getAll('officeIds').map(Number),
			includeDescendants: form.get('includeDescendants') === 'on',
			usernames: String(form.get('usernames') ?? '').split(/[\s,，、;；]+/)
		};
		const result = assignCourse(getDb(), locals.user!, Number(params.id), input);
		if (!result.ok) return fail(400, { action: 'assign', errors: result.errors, usernames: String(form.get('usernames') ?? '') });
		return { notice: `已布置，${result.enrolled} 人收到学习任务` };
	},
	withdraw: async ({ request, locals }) => {
		const result = withdrawAssignment(getDb(), locals.user!, Number((await request.formData()).get('assignmentId')));
		if (!result.ok) return fail(400, { message: result.message });
		return { notice: '已撤回。学员的学习进度保留，只是不再作为任务。' };
	},
	remind: async ({ params, request, locals }) => {
		const course = courseOf(params.id);
		if (!canEditCourse(locals.user!, course)) return fail(403, { message: '只能对本校课程催学' });
		const officeId = Number((await request.formData()).get('officeId')) || undefined;
		const r = remindBehind(getDb(), course.id, officeId ? [officeId] : undefined);
		return { notice: `已向 ${r.sent} 人发送催学提醒${r.skipped ? `（${r.skipped} 人今天已提醒过）` : ''}` };
	}
};
