import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { canEditCourse, getCourse } from '$lib/server/courses/courses';
import { courseMembers, remindBehind } from '$lib/server/courses/dashboard';
import { getOffice } from '$lib/server/org/offices';
import type { Actions, PageServerLoad } from './$types';

function find(params: { id: string; officeId: string }) {
	const db = getDb();
	const course = getCourse(db, Number(params.id));
	const office = getOffice(db, Number(params.officeId));
	if (!course || !office) error(404, { message: '没有找到这个专题班或单位' });
	return { course, office };
}

export const load: PageServerLoad = ({ params, locals }) => {
	const { course, office } = find(params);
	const behind = courseMembers(getDb(), course.id, [office.id]).filter((m) => m.status !== 'done');
	return {
		course: { id: course.id, title: course.title, dueOn: course.dueOn },
		office: { id: office.id, name: office.name },
		behind,
		canEdit: canEditCourse(locals.user!, course)
	};
};

export const actions: Actions = {
	remind: (event) => {
		const { course, office } = find(event.params);
		const actor = actorOf(event);
		if (!canEditCourse(actor, course)) return refuse(403, '只能对本校课程催学');
		const reminded = remindBehind(getDb(), actor, course.id, [office.id]);
		return {
			notice: `已向 ${reminded.sent} 人发送催学提醒${reminded.skipped ? `（${reminded.skipped} 人今天已提醒过）` : ''}`
		};
	}
};
