// The restore's reads of a restored copy (a bare better-sqlite3 connection, opened only to check it).
import type Database from 'better-sqlite3';

/** Whether the file has Drizzle's migration table at all (a database of this app). */
export function hasMigrationTable(sqlite: Database.Database): boolean {
	return !!sqlite
		.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
		.get();
}

/** The migrations the copy has applied, in order. */
export function appliedMigrations(sqlite: Database.Database): { hash: string; createdAt: number }[] {
	return sqlite
		.prepare('SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY created_at, rowid')
		.all() as { hash: string; createdAt: number }[];
}
