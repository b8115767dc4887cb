import { sql, type SQL, type Column } from 'drizzle-orm';

/** `column` contains `text` literally: % and _ typed by a user are not wildcards. */
export function likeContains(column: Column, text: string): SQL {
	const pattern = `%${text.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
	return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
