// 宣讲: what an admin's correction of a submitted talk changed, as its `talk.correct` audit row
// lists it — each field as people read it, before and after, and the photos added or removed.
import type { Queryable } from '../db';
import { changesOf } from '../audit';
import { getOffice } from '../org/offices';
import { byPinyin } from '../users/name-key';
import { shanghaiDay } from '../time';
import { TALK_FORMAT_LABELS } from '../../outreach';
import { shanghaiTime } from './form';
import { outreachStatements, type TalkRow } from './statements';
import { topicsOf } from './topics';

const CHANGE_LABELS = {
	office: '宣讲单位',
	heldAt: '宣讲时间',
	place: '宣讲地点',
	speakers: '宣讲人',
	otherSpeakers: '其他宣讲人',
	topics: '宣讲主题',
	topicText: '主题（自填）',
	audience: '受众人数',
	format: '宣讲形式',
	summary: '内容摘要'
} as const;

export type DescribedTalk = Record<keyof typeof CHANGE_LABELS, string>;

/** A talk's fields as people read them, for the correction's audit row. */
export function describeTalk(
	db: Queryable,
	talk: TalkRow,
	speakers: number[],
	topics: string[]
): DescribedTalk {
	const s = outreachStatements(db);
	const names = s.usersByIds
		.all(JSON.stringify(speakers))
		.map((u) => u.name)
		.sort(byPinyin);
	return {
		office: getOffice(db, talk.officeId)?.name ?? '',
		heldAt: talk.heldAt ? `${shanghaiDay(talk.heldAt)} ${shanghaiTime(talk.heldAt)}` : '',
		place: talk.placeId ? (s.place.get(talk.placeId)?.name ?? '') : '',
		speakers: names.join('、'),
		otherSpeakers: talk.otherSpeakers,
		topics: topicsOf(db, topics)
			.map((t) => t.label)
			.join('、'),
		topicText: talk.topicText,
		audience: talk.audience === null ? '' : String(talk.audience),
		format: talk.format ? TALK_FORMAT_LABELS[talk.format] : '',
		summary: talk.summary
	};
}

/** How many photos a save keeps, removes and adds. */
export interface PhotoCounts {
	before: number;
	removed: number;
	added: number;
}

/** The changed fields, then a line for the photos if any were added or removed. */
export function correctionChanges(before: DescribedTalk, after: DescribedTalk, photos: PhotoCounts) {
	const changes = changesOf(CHANGE_LABELS, before, after);
	if (photos.removed > 0 || photos.added > 0) {
		const edits = [
			photos.added ? `新增 ${photos.added} 张` : '',
			photos.removed ? `删除 ${photos.removed} 张` : ''
		].filter(Boolean);
		const count = photos.before - photos.removed + photos.added;
		changes.push({ label: '照片', from: `${photos.before} 张`, to: `${count} 张（${edits.join('，')}）` });
	}
	return changes;
}
