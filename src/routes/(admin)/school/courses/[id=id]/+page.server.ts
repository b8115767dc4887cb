import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { canEditCourse, courseModuleOptions, getCourse, saveCourse } from '$lib/server/courses/courses';
import { assignCourse, listAssignments, withdrawAssignment } from '$lib/server/courses/enrol';
import { courseMembers, officeFigures, remindBehind } from '$lib/server/courses/dashboard';
import { courseInputFrom } from '$lib/server/courses/form';
import { flattenTree, listOffices, officeTree } from '$lib/server/org/offices';
import type { Actions, PageServerLoad } from './$types';

function courseOf(id: string) {
	const course = getCourse(getDb(), Number(id));
	if (!course) error(404, { message: '没有找到这个专题班' });
	return course;
}

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	const course = courseOf(params.id);
	const members = courseMembers(db, course.id);
	return {
		created: url.searchParams.has('created'),
		course: {
			...course,
			required: course.required ? 'required' : 'elective',
			moduleIds: course.modules.map((m) => m.id)
		},
		canEdit: canEditCourse(locals.user!, course),
		modules: courseModuleOptions(db, course.schoolId, course.id),
		offices: flattenTree(officeTree(listOffices(db))).map((o) => ({
			id: o.id,
			name: o.name,
			depth: o.depth
		})),
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
	save: async (event) => {
		const values = courseInputFrom(await event.request.formData());
		const result = saveCourse(getDb(), actorOf(event), values, Number(event.params.id));
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '已保存' };
	},
	assign: async (event) => {
		const form = await event.request.formData();
		const input = {
			officeIds: form.getAll('officeIds').map(Number),
			includeDescendants: form.get('includeDescendants') === 'on',
			usernames: String(form.get('usernames') ?? '').split(/[\s,，、;；]+/)
		};
		const result = assignCourse(getDb(), actorOf(event), Number(event.params.id), input);
		if (!result.ok) return refuse(400, result.errors, { usernames: String(form.get('usernames') ?? '') });
		return { notice: `已布置，${result.enrolled} 人收到学习任务` };
	},
	withdraw: async (event) => {
		const result = withdrawAssignment(
			getDb(),
			actorOf(event),
			Number((await event.request.formData()).get('assignmentId'))
		);
		if (!result.ok) return refuse(400, result.message);
		return { notice: '已撤回。学员的学习进度保留，只是不再作为任务。' };
	},
	remind: async (event) => {
		const course = courseOf(event.params.id);
		const actor = actorOf(event);
		if (!canEditCourse(actor, course)) return refuse(403, '只能对本校课程催学');
		// Without an office it is 一键催学 (every office); an office that is no id is refused, not read as "all".
		const raw = (await event.request.formData()).get('officeId');
		const officeId = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
		if (raw !== null && !officeId) return refuse(400, '没有找到这个单位');
		const reminded = remindBehind(getDb(), actor, course.id, raw === null ? undefined : [officeId]);
		return {
			notice: `已向 ${reminded.sent} 人发送催学提醒${reminded.skipped ? `（${reminded.skipped} 人今天已提醒过）` : ''}`
		};
	}
};
