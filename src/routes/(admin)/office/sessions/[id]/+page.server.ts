import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { roster, saveMinutes, sessionForAdmin, setAttendance } from '$lib/server/meetings/sessions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	const found = sessionForAdmin(db, locals.user!, Number(params.id) || 0);
	if (!found) error(404, { message: '没有这场集中学习，或不在您的管理范围内' });
	return { ...found, roster: roster(db, found.session.id), created: url.searchParams.has('created') };
};

export const actions: Actions = {
	attendance: async (event) => {
		const form = await event.request.formData();
		const present = form.get('present');
		if (present !== 'true' && present !== 'false') return fail(400, { message: '请选择已到或未到' });
		const r = setAttendance(getDb(), actorOf(event), Number(event.params.id) || 0, Number(form.get('userId')) || 0, present === 'true');
		if (!r.ok) return fail(400, { message: r.message });
		return { notice: '已更新签到记录' };
	},
	minutes: async (event) => {
		const minutes = (await event.request.formData()).get('minutes');
		// A form without the field (not an emptied one) must not wipe the minutes.
		if (typeof minutes !== 'string') return fail(400, { message: '请填写纪要', minutes: '' });
		const r = saveMinutes(getDb(), actorOf(event), Number(event.params.id) || 0, minutes);
		if (!r.ok) return fail(400, { message: r.message, minutes });
		return { notice: '纪要已保存' };
	}
};
