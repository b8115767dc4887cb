import type { FieldErrors } from '../validation';
import type { DraftStatus } from '../db/schema';
import type { Owner } from './owner';
import type { ModuleDoc } from './doc';

// The shapes the pages show (a rendered module, a diff) are shared with the components.
export type { DocDiff, RenderedModule, TextDiffPart } from '../../authoring';

/** What every authoring action answers: done (with what the caller needs next) or refused per field. */
export type Result<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

/** Form fields as read with formFields(form). */
export type Fields = Record<string, string>;

/** A row of the author's module list. */
export interface AuthoredRow {
	draftId: number;
	title: string;
	themeName: string;
	status: DraftStatus;
	/** Returned by a reviewer with a comment (status is editing again). */
	returned: boolean;
	moduleSlug: string | null;
	/** The latest published version (0: never published). */
	version: number;
	withdrawn: boolean;
	lessonCount: number;
	questionCount: number;
	updatedAt: Date;
	updatedByName: string;
}

export interface Draft {
	id: number;
	owner: Owner;
	ownerName: string;
	moduleId: number | null;
	moduleSlug: string | null;
	status: DraftStatus;
	doc: ModuleDoc;
	version: number;
	withdrawnAt: Date | null;
	submittedAt: Date | null;
	submittedById: number | null;
	submittedByName: string | null;
	reviewComment: string | null;
	reviewedByName: string | null;
	updatedAt: Date;
	updatedByName: string;
	/** Whether the owner has one active admin only (then the author may self-approve). */
	singleAdmin: boolean;
}

export interface VersionRow {
	version: number;
	publishedAt: Date;
	submittedByName: string;
	approvedByName: string;
	selfApproved: boolean;
}
