import { sql, type SQL, type Column } from 'drizzle-orm';

/** A LIKE pattern for "contains `text`", with % _ and \ escaped (use with ESCAPE '\'). */
export function containsPattern(text: string): string {
	return `%${text.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
}

/** `column` contains `text` literally: % and _ typed by a user are not wildcards. */
export function likeContains(column: Column, text: string): SQL {
	return sql`${column} LIKE ${containsPattern(text)} ESCAPE '\\'`;
}
