import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	readTalkForm,
	getTalk,
	TALK_MESSAGES,
	TALK_NOT_FOUND,
	talkFormOptions,
	talkInputOf
} from '$lib/server/outreach';
import { shanghaiDay } from '$lib/server/time';
import { saveTalkForm } from '../../talk-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const db = getDb();
	const talk = getTalk(db, locals.user!, Number(params.id));
	if (!talk) error(404, { message: TALK_NOT_FOUND });
	if (!talk.canEdit) error(403, { message: TALK_MESSAGES.submittedReadOnly });
	return {
		talk: {
			id: talk.id,
			status: talk.status,
			photos: talk.photos,
			officeId: talk.officeId,
			officeName: talk.officeName
		},
		values: talkInputOf(talk),
		options: talkFormOptions(db, locals.user!, talk.officeId, talk.id),
		today: shanghaiDay(new Date())
	};
};

export const actions: Actions = {
	default: async (event) => {
		const talk = getTalk(getDb(), event.locals.user!, Number(event.params.id));
		if (!talk) error(404, { message: TALK_NOT_FOUND });
		const body = await readTalkForm(event.request);
		return saveTalkForm(event, body, { id: talk.id, submitted: talk.status === 'submitted' });
	}
};
