import { error } from '@sveltejs/kit';
import { refuse } from '$lib/server/forms';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { roster, saveMinutes, studySessionForAdmin, setAttendance } from '$lib/server/study-sessions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	const found = studySessionForAdmin(db, locals.user!, Number(params.id));
	if (!found) error(404, { message: '没有找到这场集中学习，或不在您的管理范围内' });
	return { ...found, roster: roster(db, found.session.id), created: url.searchParams.has('created') };
};

export const actions: Actions = {
	attendance: async (event) => {
		const form = await event.request.formData();
		const present = form.get('present');
		if (present !== 'true' && present !== 'false') return refuse(400, '请选择已到或未到');
		const attendance = setAttendance(
			getDb(),
			actorOf(event),
			Number(event.params.id),
			Number(form.get('userId')) || 0,
			present === 'true'
		);
		if (!attendance.ok) return refuse(400, attendance.message);
		return { notice: '已更新签到记录' };
	},
	minutes: async (event) => {
		const minutes = (await event.request.formData()).get('minutes');
		// A form without the field (not an emptied one) must not wipe the minutes.
		if (typeof minutes !== 'string') return refuse(400, '请填写纪要', { minutes: '' });
		const saved = saveMinutes(getDb(), actorOf(event), Number(event.params.id), minutes);
		if (!saved.ok) return refuse(400, saved.message, { minutes });
		return { notice: '纪要已保存' };
	}
};
