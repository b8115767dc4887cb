// 宣讲: a talk's topic keys — `p:<part>` a part of the report, `m:<module id>` a study module —
// read back as labels and links.
import type { Queryable } from '../db';
import { byPinyin } from '../users/name-key';
import type { TopicKey } from '../../outreach';
import { partLabel, REPORT_PATH } from '../../report-place';
import { outreachStatements } from './statements';

/** The module ids among topic keys. */
export function moduleIdsOf(topics: string[]): number[] {
	return topics.flatMap((t) => (/^m:\d+$/.test(t) ? [Number(t.slice(2))] : []));
}

/** Topic keys as labels and links: parts of the report in their order, then modules by title. */
export function topicsOf(db: Queryable, keys: string[]): { key: TopicKey; label: string; href: string }[] {
	const parts = keys
		.filter((k) => k.startsWith('p:'))
		.map((k) => Number(k.slice(2)))
		.sort((a, b) => a - b)
		.map((p) => ({ key: `p:${p}` as TopicKey, label: partLabel(p), href: `${REPORT_PATH}/${p}` }));
	const ids = moduleIdsOf(keys);
	const modules = ids.length
		? outreachStatements(db)
				.moduleTitles.all(JSON.stringify(ids))
				.sort((a, b) => byPinyin(a.title, b.title) || a.id - b.id)
				.map((m) => ({ key: `m:${m.id}` as TopicKey, label: m.title, href: `/learn/${m.slug}` }))
		: [];
	return [...parts, ...modules];
}
