/**
 * The media rows of an owner: recording an upload, the library page, the editor's picker.
 * An author sees and uses only their own owner's media.
 */
import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { media, users, type MediaKind } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit';
import { ownerColumns, type Owner } from '../authoring/owner';
import { nameKey } from '../users/name-key';
import { KIND_LABELS } from './limits';

export interface MediaItem {
	id: number;
	kind: MediaKind;
	mime: string;
	fileName: string;
	size: number;
	durationSeconds: number | null;
	uploadedAt: Date;
	uploadedByName: string;
}

/** A file accepted and in place, to be recorded. */
export interface StoredFile {
	sha256: string;
	kind: MediaKind;
	mime: string;
	size: number;
	fileName: string;
	durationSeconds: number | null;
}

/** The condition that a media row belongs to the owner. */
export function ownedBy(owner: Owner): SQL {
	return owner.kind === 'school'
		? and(eq(media.ownerSchoolId, owner.schoolId), isNull(media.ownerOfficeId))!
		: and(eq(media.ownerOfficeId, owner.officeId), isNull(media.ownerSchoolId))!;
}

const ITEM = {
	id: media.id,
	kind: media.kind,
	mime: media.mime,
	fileName: media.fileName,
	size: media.size,
	durationSeconds: media.durationSeconds,
	uploadedAt: media.uploadedAt,
	uploadedByName: users.name
};

function items(db: Queryable, where: SQL) {
	return db.select(ITEM).from(media).innerJoin(users, eq(users.id, media.uploadedBy)).where(where);
}

/** Size in MB for people (one decimal; at least 0.1). */
export function sizeLabel(bytes: number): string {
	return `${Math.max(0.1, Math.round(bytes / 104_857.6) / 10).toFixed(1)} MB`;
}

/**
 * Records an accepted file for the owner: the owner's existing row when they uploaded the same
 * bytes before (nothing new is written then), else a new row and its audit entry, together.
 */
export function recordUpload(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	file: StoredFile
): { media: MediaItem; existing: boolean } {
	return db.transaction((tx) => {
		const before = items(tx, and(ownedBy(owner), eq(media.sha256, file.sha256))!).get();
		if (before) return { media: before, existing: true };
		const { id } = tx
			.insert(media)
			.values({ ...file, ...ownerColumns(owner), uploadedBy: actor.id, uploadedAt: new Date() })
			.returning({ id: media.id })
			.get();
		const columns = ownerColumns(owner);
		recordAudit(tx, actor, {
			action: 'media.upload',
			officeId: columns.ownerOfficeId,
			schoolId: columns.ownerSchoolId,
			target: { type: 'media', id },
			summary: `上传了${KIND_LABELS[file.kind]}“${file.fileName}”（${sizeLabel(file.size)}）`,
			detail: { sha256: file.sha256, mime: file.mime, size: file.size }
		});
		return { media: items(tx, eq(media.id, id)).get()!, existing: false };
	});
}

/** One media row of the owner, or undefined (another owner's is the same as none). */
export function ownedMedia(db: Queryable, owner: Owner, id: number): MediaItem | undefined {
	return items(db, and(ownedBy(owner), eq(media.id, id))!).get();
}

export const MEDIA_PAGE_SIZE = 50;
export const MEDIA_SORTS = ['newest', 'name'] as const;
export type MediaSort = (typeof MEDIA_SORTS)[number];

export interface LibraryRow extends MediaItem {
	kindLabel: string;
	sizeLabel: string;
	/** What to paste into a lesson's Markdown (images and PDFs; audio and video are chosen in the lesson editor). */
	snippet: string | null;
}

/** Markdown link text: brackets and backslashes escaped, line breaks flattened. */
function linkText(text: string): string {
	return text.replace(/[\\[\]]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

export function markdownSnippet(item: Pick<MediaItem, 'id' | 'kind' | 'fileName'>): string | null {
	if (item.kind === 'image') return `![说明](/media/${item.id})`;
	if (item.kind === 'pdf') return `[${linkText(item.fileName)}](/media/${item.id})`;
	return null;
}

function libraryRow(item: MediaItem): LibraryRow {
	return {
		...item,
		kindLabel: KIND_LABELS[item.kind],
		sizeLabel: sizeLabel(item.size),
		snippet: markdownSnippet(item)
	};
}

/** The page's ids in pinyin order of the file names (SQLite cannot collate by pinyin). */
function idsByName(db: Queryable, owner: Owner, page: number): number[] {
	const all = db.select({ id: media.id, fileName: media.fileName }).from(media).where(ownedBy(owner)).all();
	const keyed = all.map((m) => ({ id: m.id, key: nameKey(m.fileName) }));
	keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
	return keyed.slice((page - 1) * MEDIA_PAGE_SIZE, page * MEDIA_PAGE_SIZE).map((m) => m.id);
}

/** The library page: the owner's media, newest first or by file name, 50 a page. */
export function mediaLibrary(
	db: Queryable,
	owner: Owner,
	{ page, sort }: { page: number; sort: MediaSort }
): { rows: LibraryRow[]; total: number; page: number; pageSize: number; sort: MediaSort } {
	const total = db
		.select({ n: sql<number>`count(*)` })
		.from(media)
		.where(ownedBy(owner))
		.get()!.n;
	let rows: MediaItem[];
	if (sort === 'name') {
		const ids = idsByName(db, owner, page);
		const byId = new Map((ids.length ? items(db, inArray(media.id, ids)).all() : []).map((m) => [m.id, m]));
		rows = ids.map((id) => byId.get(id)!);
	} else {
		rows = items(db, ownedBy(owner))
			.orderBy(desc(media.uploadedAt), desc(media.id))
			.limit(MEDIA_PAGE_SIZE)
			.offset((page - 1) * MEDIA_PAGE_SIZE)
			.all();
	}
	return { rows: rows.map(libraryRow), total, page, pageSize: MEDIA_PAGE_SIZE, sort };
}

export interface MediaOption {
	id: number;
	kind: MediaKind;
	fileName: string;
	size: number;
	durationSeconds: number | null;
}

/** The owner's media for the lesson editor's pickers (of one kind if given), newest first. */
export function mediaOptions(db: Queryable, owner: Owner, kind?: MediaKind): MediaOption[] {
	return db
		.select({
			id: media.id,
			kind: media.kind,
			fileName: media.fileName,
			size: media.size,
			durationSeconds: media.durationSeconds
		})
		.from(media)
		.where(kind ? and(ownedBy(owner), eq(media.kind, kind)) : ownedBy(owner))
		.orderBy(desc(media.uploadedAt), desc(media.id))
		.all();
}
