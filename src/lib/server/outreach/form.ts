// 宣讲: the talk form's values — as sent (trimmed strings, for checking and re-display), blank for
// a new talk, and filled from a talk for editing.
import { shanghaiDay, shanghaiMidnight } from '../time';
import type { TalkInput, TalkView } from './types';

/** FormData, or the fields readTalkForm collected from a multipart body. */
export type TalkFields = Map<string, string[]> | { getAll(name: string): unknown[] };

function values(fields: TalkFields, name: string): string[] {
	const raw = fields instanceof Map ? (fields.get(name) ?? []) : fields.getAll(name);
	return raw.filter((v): v is string => typeof v === 'string');
}

/** The talk form as sent: trimmed strings (the summary's line breaks kept), for checking and re-display. */
export function parseTalkForm(fields: TalkFields): TalkInput {
	const one = (name: string) => (values(fields, name)[0] ?? '').trim();
	const many = (name: string) =>
		values(fields, name)
			.map((v) => v.trim())
			.filter(Boolean);
	return {
		officeId: one('officeId'),
		date: one('date'),
		time: one('time'),
		placeId: one('placeId'),
		newPlaceName: one('newPlaceName'),
		newPlaceTownship: one('newPlaceTownship'),
		newPlaceKind: one('newPlaceKind'),
		speakers: many('speakers'),
		otherSpeakers: one('otherSpeakers'),
		topics: many('topics'),
		topicText: one('topicText'),
		audience: one('audience'),
		format: one('format'),
		summary: one('summary').replace(/\r\n?/g, '\n')
	};
}

/** A blank form (the new-talk page). */
export function emptyTalkInput(officeId: number | null = null): TalkInput {
	return {
		officeId: officeId === null ? '' : String(officeId),
		date: '',
		time: '',
		placeId: '',
		newPlaceName: '',
		newPlaceTownship: '',
		newPlaceKind: '',
		speakers: [],
		otherSpeakers: '',
		topics: [],
		topicText: '',
		audience: '',
		format: '',
		summary: ''
	};
}

/** A talk as the form's values (the edit page). */
export function talkInputOf(view: TalkView): TalkInput {
	const time = view.heldAt ? shanghaiTime(view.heldAt) : '';
	return {
		...emptyTalkInput(view.officeId),
		date: view.day ?? '',
		time,
		placeId: view.place ? String(view.place.id) : '',
		speakers: view.speakers.map((s) => String(s.id)),
		otherSpeakers: view.otherSpeakers,
		topics: view.topics.map((t) => t.key),
		topicText: view.topicText,
		audience: view.audience === null ? '' : String(view.audience),
		format: view.format ?? '',
		summary: view.summary
	};
}

/** HH:MM of an instant in Shanghai. */
export function shanghaiTime(at: Date): string {
	const minutes = Math.floor((at.getTime() - shanghaiMidnight(shanghaiDay(at)).getTime()) / 60_000);
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
