// 宣讲: what the talk form offers to choose from — offices, places, speakers, modules, parts.
import type { Queryable } from '../db';
import { descendantIds, flattenTree, listOffices, officeTree } from '../org/offices';
import { moduleOptions } from '../learning/catalog';
import { byPinyin } from '../users/name-key';
import type { TopicKey } from '../../outreach';
import { CLOSING, OPENING, partLabel } from '../../report-place';
import { isAdmin, mayEdit, recordableOfficeIds, type TalkViewer } from './scope';
import { outreachStatements } from './statements';
import { moduleIdsOf } from './topics';
import type { TalkPlace } from './types';

export interface TalkFormOptions {
	/** The offices an admin may record for (tree order); [] for cadres. */
	offices: { id: number; name: string }[];
	places: TalkPlace[];
	members: { id: number; name: string; username: string; officeName: string }[];
	modules: { key: TopicKey; title: string }[];
	parts: { key: TopicKey; label: string }[];
}

const PARTS = Array.from({ length: CLOSING - OPENING + 1 }, (_, i) => OPENING + i);

/**
 * What the form offers for a talk of `officeId`: the office's active places (pinyin order), its
 * members and those of the offices below (pinyin order), the modules the office sees, the parts of
 * the report. With `talkId` (editing), the talk's current place and modules stay offered even if
 * retired since. An office the actor may not record for offers nothing.
 */
export function talkFormOptions(
	db: Queryable,
	actor: TalkViewer,
	officeId: number,
	talkId?: number
): TalkFormOptions {
	const recordable = recordableOfficeIds(db, actor);
	const offices = isAdmin(actor.role)
		? flattenTree(officeTree(listOffices(db)))
				.filter((o) => recordable.includes(o.id))
				.map((o) => ({ id: o.id, name: o.name }))
		: [];
	const parts = PARTS.map((p) => ({ key: `p:${p}` as TopicKey, label: partLabel(p) }));
	if (!recordable.includes(officeId)) return { offices, places: [], members: [], modules: [], parts };
	const s = outreachStatements(db);
	const talk = talkId ? s.talk.get({ id: talkId }) : undefined;
	const own = talk && talk.officeId === officeId && mayEdit(db, actor, talk) ? talk : undefined;
	const keptModules = own ? moduleIdsOf(s.topics.all(own.id)) : [];
	return {
		offices,
		places: placeOptions(db, officeId, own?.placeId ?? null),
		members: s.members.all(JSON.stringify(descendantIds(db, officeId))),
		modules: moduleOptions(db, { kind: 'office', officeId }, keptModules).map((m) => ({
			key: `m:${m.id}` as TopicKey,
			title: m.title
		})),
		parts
	};
}

/** The office's active places in pinyin order, with the talk's own place even if retired since. */
function placeOptions(db: Queryable, officeId: number, keptPlaceId: number | null): TalkPlace[] {
	const s = outreachStatements(db);
	const places = s.activePlaces.all(officeId);
	if (keptPlaceId && !places.some((p) => p.id === keptPlaceId)) {
		const kept = s.place.get(keptPlaceId);
		if (kept) places.push(kept);
	}
	return places
		.sort((a, b) => byPinyin(a.name, b.name) || a.id - b.id)
		.map((p) => ({ id: p.id, name: p.name, township: p.township, kind: p.kind }));
}
