import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { getOffice } from '$lib/server/org/offices';
import { managedPlace, PLACE_NOT_FOUND, placeInputFrom, savePlace } from '$lib/server/outreach';
import type { Actions, PageServerLoad } from './$types';

/** 修改宣讲地点: one place of an office the admin manages. */
export const load: PageServerLoad = ({ locals, params }) => {
	const db = getDb();
	const place = managedPlace(db, locals.user!, Number(params.id));
	if (!place) error(404, { message: PLACE_NOT_FOUND });
	return { place, officeName: getOffice(db, place.officeId)?.name ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const db = getDb();
		const place = managedPlace(db, event.locals.user!, Number(event.params.id));
		if (!place) return refuse(404, PLACE_NOT_FOUND);
		const values = placeInputFrom(await event.request.formData());
		const result = savePlace(db, actorOf(event), place.officeId, values, place.id);
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/office/outreach/places?office=${place.officeId}`);
	}
};
