import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import {
	descendantIds,
	flattenTree,
	getOffice,
	listOffices,
	officeTree,
	saveOffice
} from '$lib/server/org/offices';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const db = getDb();
	const office = getOffice(db, Number(params.id));
	if (!office) error(404, { message: '没有找到这个单位' });
	// An office cannot move under itself or its own descendants.
	const excluded = new Set(descendantIds(db, office.id));
	const parents = flattenTree(officeTree(listOffices(db)))
		.filter((o) => !excluded.has(o.id))
		.map((o) => ({ id: o.id, name: o.name, depth: o.depth }));
	return {
		office: { name: office.name, code: office.code, parentId: office.parentId, sortOrder: office.sortOrder },
		parents
	};
};

export const actions: Actions = {
	default: async (event) => {
		const values = formFields(await event.request.formData());
		const result = saveOffice(getDb(), actorOf(event), values, Number(event.params.id));
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '已保存' };
	}
};
