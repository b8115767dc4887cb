import type { Queryable } from '../db';
import { ROLE_LABELS } from '../access';
import { flattenTree, listOffices, officeTree } from '../org/offices';
import { listSchools } from '../org/schools';

/** Everything the sysadmin's account form offers to pick from. */
export function accountFormOptions(db: Queryable) {
	return {
		offices: flattenTree(officeTree(listOffices(db))).map((o) => ({
			id: o.id,
			name: o.name,
			depth: o.depth
		})),
		schools: listSchools(db).map((s) => ({ id: s.id, name: s.name })),
		roleLabels: ROLE_LABELS
	};
}
