import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { managedOfficeIds } from '$lib/server/org/offices';
import { coursesForOffices } from '$lib/server/courses/office-view';
import { remindBehind } from '$lib/server/courses/dashboard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	courses: coursesForOffices(getDb(), managedOfficeIds(getDb(), locals.user!))
});

export const actions: Actions = {
	remind: async (event) => {
		const db = getDb();
		const actor = actorOf(event);
		const courseId = Number((await event.request.formData()).get('courseId'));
		const scope = managedOfficeIds(db, actor);
		if (!coursesForOffices(db, scope).some((c) => c.id === courseId))
			return refuse(400, '这个专题班没有布置给您管理的单位');
		const reminded = remindBehind(db, actor, courseId, scope);
		return {
			notice: `已向 ${reminded.sent} 人发送催学提醒${reminded.skipped ? `（${reminded.skipped} 人今天已提醒过）` : ''}`
		};
	}
};
