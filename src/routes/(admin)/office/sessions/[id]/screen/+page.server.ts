import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { studySessions } from '$lib/server/db/schema';
import { canManageOffice } from '$lib/server/org/offices';
import { CODE_WINDOW_MS, checkinCode, isCheckinOpen } from '$lib/server/meetings/sessions';
import { qrSvg } from '$lib/server/courses/certificates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const db = getDb();
	const s = db.select().from(studySessions).where(eq(studySessions.id, Number(params.id))).get();
	if (!s || !canManageOffice(db, locals.user!, s.officeId)) error(404, { message: '没有这场集中学习，或不在您的管理范围内' });
	const now = new Date();
	const open = isCheckinOpen(s, now);
	const code = open ? checkinCode(s, now) : null;
	const attended = db.$client.prepare('SELECT count(*) AS n FROM attendance WHERE session_id = ?').get(s.id) as { n: number };
	return {
		title: s.title,
		open,
		code,
		qr: code ? await qrSvg(`${url.origin}/checkin?s=${s.id}&c=${code}`) : null,
		// Seconds until the code changes: the page refreshes then.
		refreshIn: Math.ceil((CODE_WINDOW_MS - (now.getTime() % CODE_WINDOW_MS)) / 1000),
		attended: attended.n
	};
};
