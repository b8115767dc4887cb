import type Database from 'better-sqlite3';

/**
 * What `PRAGMA integrity_check` says of a database file's connection: 'ok', or its first findings
 * joined (with how many there are). One reading for the backups' check of each copy and the
 * restore's check of the restored file.
 */
export function integrityOf(sqlite: Database.Database): string {
	const rows = (sqlite.pragma('integrity_check') as { integrity_check: string }[]).map(
		(r) => r.integrity_check
	);
	if (rows.length === 1 && rows[0] === 'ok') return 'ok';
	return rows.slice(0, 3).join('；') + (rows.length > 3 ? `（共 ${rows.length} 处）` : '');
}
