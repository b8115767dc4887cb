import { error, fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { modules, studySessionModules, studySessions } from '$lib/server/db/schema';
import { canManageOffice } from '$lib/server/org/offices';
import { roster, saveMinutes, setAttendance } from '$lib/server/meetings/sessions';
import type { Actions, PageServerLoad } from './$types';

function sessionOf(locals: App.Locals, id: string) {
	const db = getDb();
	const s = db.select().from(studySessions).where(eq(studySessions.id, Number(id))).get();
	if (!s || !canManageOffice(db, locals.user!, s.officeId)) error(404, { message: '没有这场集中学习，或不在您的管理范围内' });
	return s;
}

export const load: PageServerLoad = ({ params, locals, url }) => {
	const s = sessionOf(locals, params.id);
	const { checkinSecret: _secret, ...session } = s;
	const db = getDb();
	const covered = db
		.select({ slug: modules.slug, title: modules.title })
		.from(studySessionModules)
		.innerJoin(modules, eq(modules.id, studySessionModules.moduleId))
		.where(eq(studySessionModules.sessionId, s.id))
		.all();
	return { session, modules: covered, roster: roster(db, s.id), created: url.searchParams.has('created') };
};

export const actions: Actions = {
	attendance: async ({ params, locals, request }) => {
		const form = await request.formData();
		const r = setAttendance(getDb(), locals.user!, Number(params.id), Number(form.get('userId')), form.get('present') === 'true');
		if (!r.ok) return fail(400, { message: r.message });
		return { notice: '已更新签到记录' };
	},
	minutes: async ({ params, locals, request }) => {
		const minutes = String((await request.formData()).get('minutes') ?? '');
		const r = saveMinutes(getDb(), locals.user!, Number(params.id), minutes);
		if (!r.ok) return fail(400, { message: r.message, minutes });
		return { notice: '纪要已保存' };
	}
};
