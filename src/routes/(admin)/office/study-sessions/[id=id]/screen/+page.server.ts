import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { checkinScreen, managedStudySession } from '$lib/server/study-sessions';
import { qrSvg } from '$lib/server/qr';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const db = getDb();
	const session = managedStudySession(db, locals.user!, Number(params.id));
	if (!session) error(404, { message: '没有找到这场集中学习，或不在您的管理范围内' });
	const screen = checkinScreen(db, session);
	return {
		...screen,
		qr: screen.code ? await qrSvg(`${url.origin}/checkin?s=${session.id}&c=${screen.code}`) : null
	};
};
