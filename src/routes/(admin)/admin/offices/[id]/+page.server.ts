import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { descendantIds, flattenTree, getOffice, listOffices, officeTree, saveOffice } from '$lib/server/org/offices';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const db = getDb();
	const office = getOffice(db, Number(params.id));
	if (!office) error(404, { message: '单位不存在' });
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
		if (!result.ok) return fail(400, { values, errors: result.errors });
		return { notice: '已保存' };
	}
};
