import type { Role } from '../access';

/**
 * Who owns authored content: a party school (for the whole system) or an office (for itself and
 * its descendants). Built-in content (content/) has no owner. An author acts only on the
 * modules, media and themes of their own owner.
 */
export type Owner = { kind: 'school'; schoolId: number } | { kind: 'office'; officeId: number };

export interface AuthorUser {
	id: number;
	role: Role;
	officeId: number | null;
	schoolId: number | null;
}

/** The owner a user authors for: a school admin their school, an office admin their office; anyone else none. */
export function authorOwner(user: AuthorUser): Owner | null {
	if (user.role === 'school_admin' && user.schoolId) return { kind: 'school', schoolId: user.schoolId };
	if (user.role === 'office_admin' && user.officeId) return { kind: 'office', officeId: user.officeId };
	return null;
}

/** The owner columns of a row (`owner_school_id`, `owner_office_id`). */
export function ownerColumns(owner: Owner): { ownerSchoolId: number | null; ownerOfficeId: number | null } {
	return owner.kind === 'school'
		? { ownerSchoolId: owner.schoolId, ownerOfficeId: null }
		: { ownerSchoolId: null, ownerOfficeId: owner.officeId };
}

/** Whether a row with these owner columns belongs to this owner. */
export function ownsRow(
	owner: Owner,
	row: { ownerSchoolId: number | null; ownerOfficeId: number | null }
): boolean {
	return owner.kind === 'school'
		? row.ownerSchoolId === owner.schoolId
		: row.ownerOfficeId === owner.officeId;
}
