// 宣讲: who records, sees and edits which talk. A cadre records and sees the submitted talks of
// their own office; an office admin (or sysadmin) those of every office they manage, and corrects
// them. A draft is seen and edited only by whoever recorded it.
import type { Queryable } from '../db';
import type { Role } from '../access';
import type { AuditActor } from '../audit';
import { canManageOffice, managedOfficeIds } from '../org/offices';

/** Whoever acts on a talk: the signed-in user as the audit log records them (`actorOf(event)`). */
export type TalkActor = AuditActor;
/** Whoever looks at talks. */
export interface TalkViewer {
	id: number;
	role: Role;
	officeId: number | null;
}

export const isAdmin = (role: Role) => role === 'office_admin' || role === 'sysadmin';

/** The offices an actor may record talks for: a cadre their own, an admin those they manage. */
export function recordableOfficeIds(db: Queryable, actor: TalkViewer): number[] {
	if (isAdmin(actor.role)) return managedOfficeIds(db, actor);
	if (actor.role === 'cadre' && actor.officeId) return [actor.officeId];
	return [];
}

/** The office a new talk is for unless the admin picks another: the actor's own (a sysadmin's first). */
export function defaultTalkOffice(db: Queryable, actor: TalkViewer): number | null {
	const offices = recordableOfficeIds(db, actor);
	if (actor.officeId && offices.includes(actor.officeId)) return actor.officeId;
	return offices[0] ?? null;
}

/** The offices whose submitted talks a viewer sees: a cadre their own, an admin those they manage. */
export function viewableOfficeIds(db: Queryable, viewer: TalkViewer): number[] {
	if (isAdmin(viewer.role)) return managedOfficeIds(db, viewer);
	if (viewer.role === 'cadre' && viewer.officeId) return [viewer.officeId];
	return [];
}

/** What decides who may see or edit a talk. */
type TalkAccess = { officeId: number; status: 'draft' | 'submitted'; recordedBy: number };

export function maySee(db: Queryable, viewer: TalkViewer, talk: TalkAccess): boolean {
	if (talk.status === 'draft') return talk.recordedBy === viewer.id;
	if (isAdmin(viewer.role)) return canManageOffice(db, viewer, talk.officeId);
	return viewer.role === 'cadre' && viewer.officeId === talk.officeId;
}

export function mayEdit(db: Queryable, viewer: TalkViewer, talk: TalkAccess): boolean {
	if (talk.status === 'draft') return talk.recordedBy === viewer.id;
	return isAdmin(viewer.role) && canManageOffice(db, viewer, talk.officeId);
}
