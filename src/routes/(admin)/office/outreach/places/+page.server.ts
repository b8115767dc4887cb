import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { managedOfficeOptions } from '$lib/server/org/scope';
import {
	listPlaces,
	OUT_OF_SCOPE,
	PLACE_NOT_FOUND,
	placeInputFrom,
	placesOffice,
	savePlace,
	setPlaceActive
} from '$lib/server/outreach';
import type { Actions, PageServerLoad } from './$types';

/**
 * 宣讲地点: the places of the office the admin looks at (`?office=`, their own by default): the
 * list with the add form, retire and restore. Corrections are on the place's own page.
 */
export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const office = placesOffice(db, locals.user!, url.searchParams.get('office'));
	if (!office) error(404, { message: OUT_OF_SCOPE });
	return {
		office: { id: office.id, name: office.name },
		offices: managedOfficeOptions(db, locals.user!),
		places: listPlaces(db, office.id, { retired: true })
	};
};

function placeIdOf(form: FormData): number {
	const id = Number(form.get('placeId'));
	return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

export const actions: Actions = {
	create: async (event) => {
		const form = await event.request.formData();
		// The page's `?office=` stays in the form's action, so the page shown after it is the same.
		const office = placesOffice(getDb(), event.locals.user!, event.url.searchParams.get('office'));
		if (!office) return refuse(404, OUT_OF_SCOPE);
		const values = placeInputFrom(form);
		const result = savePlace(getDb(), actorOf(event), office.id, values);
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: `已添加宣讲地点“${values.name.replace(/\s+/g, ' ')}”` };
	},
	retire: async (event) => {
		const ok = setPlaceActive(getDb(), actorOf(event), placeIdOf(await event.request.formData()), false);
		if (!ok) return refuse(404, PLACE_NOT_FOUND);
		return { notice: '已停用该地点：记录宣讲时不再列出，已有的宣讲记录不受影响' };
	},
	restore: async (event) => {
		const ok = setPlaceActive(getDb(), actorOf(event), placeIdOf(await event.request.formData()), true);
		if (!ok) return refuse(404, PLACE_NOT_FOUND);
		return { notice: '已恢复该地点' };
	}
};
