import { pinyin } from 'pinyin-pro';
import { asc, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';

// Chinese readers expect names in pinyin order (曹 成 冯 李 任), not by code point (任 冯 成 曹 李).
// SQLite cannot collate by pinyin, so each user row keeps users.name_key, set with every write
// of a name (userNameFields) and filled at start-up for rows written without it (fillNameKeys).
// Lists sort by (name_key, name, id).

/**
 * The pinyin sort key of a name: each character as its syllable with tone number, then the
 * character itself ("cheng2 成 long2 龙"), so names go by pinyin, then tone, and people of
 * one surname stay together (成… before 程…, both cheng2), as ICU's pinyin collation orders
 * them. Surnames are read as surnames (单 shan4, 曾 zeng1). The space sorts before every
 * letter and digit, so 李 (li3) comes before 林 (lin2). Other text is kept, lower-cased.
 */
export function nameKey(name: string): string {
	return pinyin(name.trim(), { toneType: 'num', surname: 'head', type: 'all', nonZh: 'consecutive', v: true })
		.map((p) => (p.isZh ? `${p.pinyin} ${p.origin}` : p.origin.trim().toLowerCase()))
		.filter(Boolean)
		.join(' ');
}

/** A user's name with its sort key: spread into every insert or update that sets a name. */
export function userNameFields(name: string): { name: string; nameKey: string } {
	return { name, nameKey: nameKey(name) };
}

/** ORDER BY terms for people in pinyin order (after any grouping the caller puts first). */
export const PINYIN_ORDER = [asc(users.nameKey), asc(users.name), asc(users.id)];

/** Compares two names in pinyin order (for lists sorted in memory). */
export function byPinyin(a: string, b: string): number {
	const ka = nameKey(a);
	const kb = nameKey(b);
	return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Fills the sort key of users written without one (older rows, scripts); returns how many. */
export function fillNameKeys(db: Db): number {
	return db.transaction((tx) => {
		const missing = tx
			.select({ id: users.id, name: users.name })
			.from(users)
			.where(isNull(users.nameKey))
			.all();
		for (const { id, name } of missing)
			tx.run(sql`UPDATE users SET name_key = ${nameKey(name)} WHERE id = ${id}`);
		return missing.length;
	});
}
