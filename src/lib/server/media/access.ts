/**
 * Who may fetch a media file: an author of its owner (while writing and reviewing), or anyone
 * who may see a live lesson that uses it (lesson_media, written at publish, through the same
 * audience rule as every other learner-facing read). Everyone else is told it does not exist.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { lessonMedia, lessons, media, modules, type MediaKind } from '../db/schema';
import { authorOwner, ownsRow, type AuthorUser } from '../authoring/owner';
import { visibleModule } from '../learning/audience';

export const MEDIA_NOT_FOUND = '没有找到这个文件，或您无权查看';

/** What serving a media file needs. */
export interface FetchableMedia {
	id: number;
	sha256: string;
	kind: MediaKind;
	mime: string;
	size: number;
	fileName: string;
}

/** Whether a live lesson this viewer may see uses the media. */
function usedInVisibleLesson(db: Queryable, viewer: AuthorUser, mediaId: number): boolean {
	const row = db
		.select({ one: sql<number>`1` })
		.from(lessonMedia)
		.innerJoin(lessons, and(eq(lessons.id, lessonMedia.lessonId), isNull(lessons.archivedAt)))
		.innerJoin(modules, eq(modules.id, lessons.moduleId))
		.where(and(eq(lessonMedia.mediaId, mediaId), visibleModule(db, viewer)))
		.limit(1)
		.get();
	return Boolean(row);
}

/** The scoped loader: the media if this user may fetch it, else undefined (one 404 for both). */
export function fetchableMedia(db: Queryable, user: AuthorUser, mediaId: number): FetchableMedia | undefined {
	const row = db
		.select({
			id: media.id,
			sha256: media.sha256,
			kind: media.kind,
			mime: media.mime,
			size: media.size,
			fileName: media.fileName,
			ownerSchoolId: media.ownerSchoolId,
			ownerOfficeId: media.ownerOfficeId
		})
		.from(media)
		.where(eq(media.id, mediaId))
		.get();
	if (!row) return undefined;
	const owner = authorOwner(user);
	if (!(owner && ownsRow(owner, row)) && !usedInVisibleLesson(db, user, mediaId)) return undefined;
	const { id, sha256, kind, mime, size, fileName } = row;
	return { id, sha256, kind, mime, size, fileName };
}

export function canFetchMedia(db: Queryable, user: AuthorUser, mediaId: number): boolean {
	return fetchableMedia(db, user, mediaId) !== undefined;
}
