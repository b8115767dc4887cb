// 宣讲: the talk form checked field group by field group. Every value given is checked; to submit
// (`complete`), every value a submitted talk needs must be given. Whatever the talk already has
// (its place, speakers, modules) stays allowed though retired or moved since — while it stays in
// the same office.
import type { Queryable } from '../db';
import { descendantIds } from '../org/offices';
import { moduleOptions } from '../learning/catalog';
import { isCalendarDay, type FieldErrors } from '../validation';
import { shanghaiDay, shanghaiMidnight } from '../time';
import { addDays } from '../../format';
import {
	OUTREACH_LIMITS,
	PLACE_KINDS,
	TALK_FORMATS,
	type PlaceKind,
	type TalkFormat,
	type TopicKey
} from '../../outreach';
import { CLOSING, OPENING } from '../../report-place';
import { MAX_SPEAKERS, TALK_MESSAGES } from './messages';
import { outreachStatements, type TalkRow } from './statements';
import { moduleIdsOf } from './topics';
import type { TalkInput } from './types';

/** A talk's time when the form gives only its day. */
const DEFAULT_TIME = '09:00';

export type PlaceChoice =
	| { kind: 'existing'; id: number; name: string }
	| { kind: 'new'; name: string; township: string; placeKind: PlaceKind };

/** The form's values as the talk stores them (null: not given, allowed in a draft). */
export interface Checked {
	heldAt: Date | null;
	day: string | null;
	place: PlaceChoice | null;
	speakers: number[];
	otherSpeakers: string;
	topics: TopicKey[];
	topicText: string;
	audience: number | null;
	format: TalkFormat | null;
	summary: string;
}

/** The talk being edited, as stored before this save. */
export interface Existing {
	talk: TalkRow;
	speakers: number[];
	topics: string[];
}

/** What one field group's check needs to know. */
interface Context {
	db: Queryable;
	officeId: number;
	complete: boolean;
	errors: FieldErrors;
	/** The talk's current place, speakers and topics (none when new or moving office). */
	kept: { placeId: number | null; speakers: number[]; topics: string[] };
}

/** Characters as people count them (an emoji or a rare 汉字 outside the BMP is one). */
const charCount = (text: string) => [...text].length;

const isId = (value: string) => /^\d{1,15}$/.test(value);

export function check(
	db: Queryable,
	officeId: number,
	input: TalkInput,
	complete: boolean,
	existing: Existing | undefined,
	now: Date
): { errors: FieldErrors; checked: Checked } {
	const sameOffice = existing?.talk.officeId === officeId;
	const kept =
		existing && sameOffice
			? { placeId: existing.talk.placeId, speakers: existing.speakers, topics: existing.topics }
			: { placeId: null, speakers: [], topics: [] };
	const c: Context = { db, officeId, complete, errors: {}, kept };
	const when = checkWhen(c, input, now);
	const place = checkPlace(c, input);
	const speakers = checkSpeakers(c, input);
	const topics = checkTopics(c, input);
	const audience = checkAudience(c, input);
	const format = checkFormat(c, input);
	checkSummary(c, input);
	return {
		errors: c.errors,
		checked: {
			...when,
			place,
			speakers,
			otherSpeakers: input.otherSpeakers,
			topics,
			topicText: input.topicText,
			audience,
			format,
			summary: input.summary
		}
	};
}

/** Date and time, in Shanghai: a day from the congress to a week ahead; 09:00 without a time. */
function checkWhen(c: Context, input: TalkInput, now: Date): { heldAt: Date | null; day: string | null } {
	let time = DEFAULT_TIME;
	if (input.time) {
		const m = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/.exec(input.time);
		if (m) time = `${m[1]}:${m[2]}`;
		else c.errors.time = TALK_MESSAGES.time;
	}
	const error = dateError(input.date, c.complete, now);
	if (error) c.errors.date = error;
	if (error || !input.date) return { heldAt: null, day: null };
	const [h, min] = time.split(':').map(Number) as [number, number];
	return {
		heldAt: new Date(shanghaiMidnight(input.date).getTime() + (h * 60 + min) * 60_000),
		day: input.date
	};
}

function dateError(date: string, complete: boolean, now: Date): string | null {
	if (!date) return complete ? TALK_MESSAGES.dateRequired : null;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return TALK_MESSAGES.dateFormat;
	if (date < OUTREACH_LIMITS.earliestDay) return TALK_MESSAGES.dateEarly;
	if (!isCalendarDay(date)) return TALK_MESSAGES.dateInvalid;
	if (date > addDays(shanghaiDay(now), OUTREACH_LIMITS.futureDays)) return TALK_MESSAGES.dateLate;
	return null;
}

/** Place: a new one typed in (an existing name means that place), or one of the office's list. */
function checkPlace(c: Context, input: TalkInput): PlaceChoice | null {
	if (input.newPlaceName) return checkNewPlace(c, input);
	if (input.placeId) {
		const id = isId(input.placeId) ? Number(input.placeId) : 0;
		const row = id ? outreachStatements(c.db).place.get(id) : undefined;
		if (row && row.officeId === c.officeId && (row.active || c.kept.placeId === id))
			return { kind: 'existing', id: row.id, name: row.name };
		c.errors.placeId = TALK_MESSAGES.place;
	} else if (c.complete) c.errors.placeId = TALK_MESSAGES.placeRequired;
	return null;
}

function checkNewPlace(c: Context, input: TalkInput): PlaceChoice | null {
	const { newPlaceName: name, newPlaceTownship: township, newPlaceKind: kind } = input;
	if (charCount(name) > OUTREACH_LIMITS.placeName) c.errors.newPlaceName = TALK_MESSAGES.placeName;
	if (charCount(township) > OUTREACH_LIMITS.township) c.errors.newPlaceTownship = TALK_MESSAGES.township;
	if (!(PLACE_KINDS as readonly string[]).includes(kind)) c.errors.newPlaceKind = TALK_MESSAGES.placeKind;
	const same = outreachStatements(c.db).placeByName.get(c.officeId, name);
	if (same && !same.active && c.kept.placeId !== same.id) {
		c.errors.newPlaceName = TALK_MESSAGES.placeRetired;
		return null;
	}
	if (same) return { kind: 'existing', id: same.id, name: same.name };
	return { kind: 'new', name, township, placeKind: kind as PlaceKind };
}

/** Member speakers: active members of the office or an office below it; other speakers as text. */
function checkSpeakers(c: Context, input: TalkInput): number[] {
	const ids = memberSpeakers(c, [...new Set(input.speakers)]);
	if (charCount(input.otherSpeakers) > OUTREACH_LIMITS.otherSpeakers)
		c.errors.otherSpeakers = TALK_MESSAGES.otherSpeakers;
	return ids;
}

function memberSpeakers(c: Context, speakers: string[]): number[] {
	if (speakers.some((v) => !isId(v))) c.errors.speakers = TALK_MESSAGES.speakers;
	else if (speakers.length > MAX_SPEAKERS) c.errors.speakers = TALK_MESSAGES.speakersMany;
	else if (speakers.length) {
		const ids = speakers.map(Number);
		const eligible = new Set(
			outreachStatements(c.db).eligibleSpeakers.all({
				ids: JSON.stringify(ids),
				offices: JSON.stringify(descendantIds(c.db, c.officeId))
			})
		);
		// Someone already speaking for this talk stays, though they left or moved since.
		if (ids.every((id) => eligible.has(id) || c.kept.speakers.includes(id))) return ids;
		c.errors.speakers = TALK_MESSAGES.speakers;
	} else if (c.complete) c.errors.speakers = TALK_MESSAGES.speakersRequired;
	return [];
}

/** Topics: parts of the report, modules the office sees (or the talk already had), free text. */
function checkTopics(c: Context, input: TalkInput): TopicKey[] {
	const topics: TopicKey[] = [];
	const moduleIds = new Set<number>();
	let badTopic = false;
	for (const key of new Set(input.topics)) {
		const m = /^([mp]):(\d{1,9})$/.exec(key);
		if (!m) badTopic = true;
		else if (m[1] === 'p') {
			const part = Number(m[2]);
			if (part >= OPENING && part <= CLOSING && String(part) === m[2]) topics.push(`p:${part}`);
			else badTopic = true;
		} else moduleIds.add(Number(m[2]));
	}
	if (moduleIds.size) {
		const kept = moduleIdsOf(c.kept.topics);
		const allowed = new Set(
			moduleOptions(c.db, { kind: 'office', officeId: c.officeId }, kept).map((o) => o.id)
		);
		for (const id of moduleIds) {
			if (allowed.has(id)) topics.push(`m:${id}`);
			else badTopic = true;
		}
	}
	if (badTopic) c.errors.topics = TALK_MESSAGES.topics;
	if (charCount(input.topicText) > OUTREACH_LIMITS.topicText) c.errors.topicText = TALK_MESSAGES.topicText;
	if (c.complete && !badTopic && topics.length === 0 && !input.topicText)
		c.errors.topics = TALK_MESSAGES.topicRequired;
	return topics;
}

function checkAudience(c: Context, input: TalkInput): number | null {
	if (!input.audience) {
		if (c.complete) c.errors.audience = TALK_MESSAGES.audienceRequired;
		return null;
	}
	const n = /^\d{1,6}$/.test(input.audience) ? Number(input.audience) : NaN;
	if (n >= OUTREACH_LIMITS.audienceMin && n <= OUTREACH_LIMITS.audienceMax) return n;
	c.errors.audience = TALK_MESSAGES.audience;
	return null;
}

function checkFormat(c: Context, input: TalkInput): TalkFormat | null {
	if ((TALK_FORMATS as readonly string[]).includes(input.format)) return input.format as TalkFormat;
	if (input.format || c.complete) c.errors.format = TALK_MESSAGES.format;
	return null;
}

/** Summary: 50–1000 characters to submit, at most 1000 in a draft. */
function checkSummary(c: Context, input: TalkInput): void {
	const n = charCount(input.summary);
	const { summaryMin: min, summaryMax: max } = OUTREACH_LIMITS;
	if (c.complete && (n < min || n > max))
		c.errors.summary = `内容摘要应为 ${min} 到 ${max} 字（现在 ${n} 字）`;
	else if (n > max) c.errors.summary = `内容摘要不能超过 ${max} 字（现在 ${n} 字）`;
}
