// Learning's statements on hot paths, prepared once per connection (see db/statements.ts):
// every watcher of an audio/video lesson reports its position about every 10 seconds.
import { and, eq, sql } from 'drizzle-orm';
import { lessonProgress, watchProgress, type LessonKind } from '../db/schema';
import { query, statements } from '../db/statements';
import { visibleModuleSql } from './audience';

const placeholder = sql.placeholder;

export const learningStatements = statements((q) => ({
	/**
	 * { moduleSlug, lessonSlug, ...audienceParams(viewer) }: a live lesson of a live module this viewer
	 * may study, with what watching needs.
	 */
	visibleLesson: query(
		q,
		`SELECT l.id, l.module_id, l.title, l.kind, l.media_id, l.duration_seconds
		FROM lessons l JOIN modules m ON m.id = l.module_id
		WHERE m.slug = @moduleSlug AND l.slug = @lessonSlug AND l.archived_at IS NULL AND ${visibleModuleSql('m')}`,
		(r: {
			id: number;
			module_id: number;
			title: string;
			kind: LessonKind;
			media_id: number | null;
			duration_seconds: number | null;
		}) => ({
			id: r.id,
			moduleId: r.module_id,
			title: r.title,
			kind: r.kind,
			mediaId: r.media_id,
			durationSeconds: r.duration_seconds
		})
	),
	/** { userId, lessonId }: what the server has credited of this user's watching of the lesson. */
	watchRow: q
		.select({
			positionSeconds: watchProgress.positionSeconds,
			reportedAt: watchProgress.reportedAt,
			watched: watchProgress.watched,
			watchedSeconds: watchProgress.watchedSeconds
		})
		.from(watchProgress)
		.where(
			and(
				eq(watchProgress.userId, placeholder('userId')),
				eq(watchProgress.lessonId, placeholder('lessonId'))
			)
		)
		.prepare(),
	/** { userId, lessonId }: when the lesson was completed (read or watched), if it was. */
	completedAt: q
		.select({ completedAt: lessonProgress.completedAt })
		.from(lessonProgress)
		.where(
			and(
				eq(lessonProgress.userId, placeholder('userId')),
				eq(lessonProgress.lessonId, placeholder('lessonId'))
			)
		)
		.prepare(),
	/** { userId, lessonId, position, reportedAt (ms), watched (JSON), watchedSeconds }: the row, written whole. */
	saveWatch: q.$client.prepare(
		`INSERT INTO watch_progress (user_id, lesson_id, position_seconds, reported_at, watched, watched_seconds)
		VALUES (@userId, @lessonId, @position, @reportedAt, @watched, @watchedSeconds)
		ON CONFLICT (user_id, lesson_id) DO UPDATE SET position_seconds = excluded.position_seconds,
			reported_at = excluded.reported_at, watched = excluded.watched, watched_seconds = excluded.watched_seconds`
	)
}));
