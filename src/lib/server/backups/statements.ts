// The backups' statements, prepared once per connection (see db/statements.ts): the sweeper asks
// every minute whether today's backup is due, and every 系统管理 page reads the backup health.
import { query, statements } from '../db/statements';

export interface BackupRow {
	id: number;
	kind: 'scheduled' | 'manual';
	scheduledDay: string | null;
	requestedBy: number | null;
	requestedByName: string | null;
	fileName: string | null;
	startedAt: Date;
	finishedAt: Date | null;
	sizeBytes: number | null;
	integrity: string | null;
	error: string | null;
	removedAt: Date | null;
}

interface RawRow {
	id: number;
	kind: 'scheduled' | 'manual';
	scheduled_day: string | null;
	requested_by: number | null;
	requested_by_name: string | null;
	file_name: string | null;
	started_at: number;
	finished_at: number | null;
	size_bytes: number | null;
	integrity: string | null;
	error: string | null;
	removed_at: number | null;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));
const toRow = (r: RawRow): BackupRow => ({
	id: r.id,
	kind: r.kind,
	scheduledDay: r.scheduled_day,
	requestedBy: r.requested_by,
	requestedByName: r.requested_by_name,
	fileName: r.file_name,
	startedAt: new Date(r.started_at),
	finishedAt: date(r.finished_at),
	sizeBytes: r.size_bytes,
	integrity: r.integrity,
	error: r.error,
	removedAt: date(r.removed_at)
});

const COLUMNS = `b.id, b.kind, b.scheduled_day, b.requested_by, u.name AS requested_by_name, b.file_name,
	b.started_at, b.finished_at, b.size_bytes, b.integrity, b.error, b.removed_at
	FROM backups b LEFT JOIN users u ON u.id = b.requested_by`;

export const backupStatements = statements((q) => ({
	/** (limit): newest first. */
	list: query(q, `SELECT ${COLUMNS} ORDER BY b.started_at DESC, b.id DESC LIMIT ?`, toRow),
	/** (id) */
	byId: query(q, `SELECT ${COLUMNS} WHERE b.id = ?`, toRow),
	/** (day, startedAt): claims a day's scheduled backup; no row when another process claimed it. */
	claimDay: q.$client.prepare<[string, number], { id: number }>(
		`INSERT INTO backups (kind, scheduled_day, started_at) VALUES ('scheduled', ?, ?)
		ON CONFLICT (scheduled_day) DO NOTHING RETURNING id`
	),
	/** (day): whether the day's scheduled backup has been claimed. */
	dayClaimed: q.$client.prepare<[string], 1>('SELECT 1 FROM backups WHERE scheduled_day = ?').pluck(),
	/** (requestedBy, startedAt) */
	insertManual: q.$client.prepare<[number | null, number], { id: number }>(
		`INSERT INTO backups (kind, requested_by, started_at) VALUES ('manual', ?, ?) RETURNING id`
	),
	/** (since): a backup still running that started after `since` (older ones were interrupted). */
	running: q.$client
		.prepare<[number], number>('SELECT id FROM backups WHERE finished_at IS NULL AND started_at > ? LIMIT 1')
		.pluck(),
	/** { id, fileName, finishedAt, sizeBytes, integrity } */
	finish: q.$client.prepare(
		`UPDATE backups SET file_name = @fileName, finished_at = @finishedAt, size_bytes = @sizeBytes,
			integrity = @integrity, error = NULL WHERE id = @id`
	),
	/** { id, finishedAt, integrity, error } */
	fail: q.$client.prepare(
		'UPDATE backups SET finished_at = @finishedAt, integrity = @integrity, error = @error WHERE id = @id'
	),
	/** (keep): scheduled backups with a file beyond the newest `keep`. */
	beyondRetention: query(
		q,
		`SELECT ${COLUMNS} WHERE b.kind = 'scheduled' AND b.file_name IS NOT NULL AND b.removed_at IS NULL
		ORDER BY b.started_at DESC, b.id DESC LIMIT -1 OFFSET ?`,
		toRow
	),
	/** (removedAt, id) */
	markRemoved: q.$client.prepare('UPDATE backups SET removed_at = ? WHERE id = ?'),
	/** The newest scheduled backup that has ended (finished, or started over a day ago and never finished). */
	lastScheduled: query(
		q,
		`SELECT ${COLUMNS} WHERE b.kind = 'scheduled' AND (b.finished_at IS NOT NULL OR b.started_at < ?)
		ORDER BY b.started_at DESC, b.id DESC LIMIT 1`,
		toRow
	),
	/** (since): when the newest successful backup of either kind finished, if after `since`. */
	lastSuccessSince: q.$client
		.prepare<[number], number>(
			`SELECT finished_at FROM backups WHERE error IS NULL AND file_name IS NOT NULL AND finished_at >= ?
			ORDER BY finished_at DESC LIMIT 1`
		)
		.pluck(),
	/** The uploaded files a backup copies beside the database (stored by hash, never changed): media, and 宣讲 photos with their thumbnails. */
	mediaHashes: q.$client
		.prepare<[], string>(
			`SELECT sha256 FROM media UNION SELECT sha256 FROM outreach_photos UNION SELECT thumb_sha256 FROM outreach_photos`
		)
		.pluck(),
	/** Whether any backup was ever made or attempted. */
	any: q.$client.prepare<[], 1>('SELECT 1 FROM backups LIMIT 1').pluck()
}));
