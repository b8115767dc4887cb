import { getDb } from '$lib/server/db';
import { getOffice } from '$lib/server/org/offices';
import { readTalkForm, defaultTalkOffice, recordableOfficeIds, talkFormOptions } from '$lib/server/outreach';
import { shanghaiDay } from '$lib/server/time';
import { saveTalkForm } from '../talk-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const user = locals.user!;
	// An admin may record for any office they manage (?office=), by default their own.
	const asked = Number(url.searchParams.get('office'));
	const officeId = recordableOfficeIds(db, user).includes(asked) ? asked : defaultTalkOffice(db, user);
	return {
		options: officeId === null ? null : talkFormOptions(db, user, officeId),
		officeId,
		officeName: officeId === null ? '' : (getOffice(db, officeId)?.name ?? ''),
		today: shanghaiDay(new Date())
	};
};

export const actions: Actions = {
	default: async (event) => {
		const body = await readTalkForm(event.request);
		return saveTalkForm(event, body);
	}
};
