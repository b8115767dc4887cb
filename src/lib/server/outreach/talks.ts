/**
 * 宣讲活动: the talk form read and checked, drafts, submit, an admin's correction with its audit
 * row, points per speaker, and who sees which talk (issue 20).
 *
 * - A cadre records talks of their own office; an office admin (or sysadmin) records talks of any
 *   office they manage and corrects its submitted talks (audited `talk.correct` with the changes).
 * - A draft is seen, edited and deleted only by whoever recorded it; submitting needs every field.
 * - Submitting awards each member speaker the 宣讲活动 points once (ledger key per talk and speaker),
 *   in the same transaction; a correction that adds a speaker awards them the same way.
 * - A cadre sees the submitted talks of their own office; an admin those of the offices they manage.
 *
 * API as built (the design's names; optional arguments added at the end only):
 *   parseTalkForm(fields) → TalkInput;  emptyTalkInput();  talkInputOf(view)
 *   recordableOfficeIds(db, actor), defaultTalkOffice(db, actor)
 *   talkFormOptions(db, actor, officeId, talkId?) → TalkFormOptions
 *   saveTalk(db, actor, { talkId?, intent, input, photos, removePhotoIds }, now?) → SaveTalkResult
 *   deleteDraft(db, actor, talkId) → boolean
 *   getTalk(db, viewer, talkId) → TalkView | null
 *   listTalks(db, viewer, { officeIds, from?, to?, page, pageSize }) → { rows: TalkSummary[], total }
 *   myDrafts(db, userId) → DraftSummary[]
 *   photosOfTalk(db, talkId) → TalkPhoto[];  photoForViewer(db, viewer, photoId) → { sha256, thumbSha256 } | null
 */
import type { Db, Queryable, Tx } from '../db';
import type { Role } from '../access';
import { recordAudit, changesOf, type AuditActor } from '../audit';
import { award } from '../points/ledger';
import {
	canManageOffice,
	descendantIds,
	flattenTree,
	getOffice,
	listOffices,
	managedOfficeIds,
	officeTree
} from '../org/offices';
import { moduleOptions } from '../learning/catalog';
import { byPinyin } from '../users/name-key';
import { isCalendarDay, type FieldErrors } from '../validation';
import { shanghaiDay, shanghaiMidnight } from '../time';
import { addDays } from '../../format';
import {
	OUTREACH_LIMITS,
	PLACE_KINDS,
	PLACE_KIND_LABELS,
	TALK_FORMATS,
	TALK_FORMAT_LABELS,
	type PlaceKind,
	type TalkFormat,
	type TopicKey
} from '../../outreach';
import { CLOSING, OPENING, partLabel, REPORT_PATH } from '../../report-place';
import { outreachStatements, type DraftRow, type TalkRow } from './statements';
import type { ProcessedPhoto, TalkInput, TalkPlace, TalkSummary, TalkView } from './types';

export type { DraftRow as DraftSummary } from './statements';

/** Whoever acts on a talk: the signed-in user as the audit log records them (`actorOf(event)`). */
export type TalkActor = AuditActor;
/** Whoever looks at talks. */
export interface TalkViewer {
	id: number;
	role: Role;
	officeId: number | null;
}

/** Member speakers of one talk (a form sending more is not a talk). */
const MAX_SPEAKERS = 50;
const DEFAULT_TIME = '09:00';

export const TALK_NOT_FOUND = '没有找到这条宣讲记录，或您无权查看';
export const TALK_MESSAGES = {
	notMember: '只有单位的成员可以登记宣讲活动',
	office: '请选择您管理的单位',
	submittedReadOnly: '这条宣讲记录已提交，不能再修改；如需更正，请联系本单位管理员',
	noEdit: '您无权修改这条宣讲记录',
	dateFormat: '宣讲日期应为“年-月-日”，如 2026-03-01',
	dateInvalid: '宣讲日期不存在，请检查年、月、日',
	dateRequired: '请选择宣讲日期',
	dateEarly: '宣讲日期不能早于党的二十大召开（2022年10月16日）',
	dateLate: '宣讲日期不能晚于一周之后',
	time: '宣讲时间应为“时:分”，如 09:30',
	place: '请从本单位的宣讲地点中选择',
	placeRequired: '请选择宣讲地点，或新增一个地点',
	placeName: `地点名称不能超过 ${OUTREACH_LIMITS.placeName} 个字`,
	placeRetired: '本单位已有这个地点（已停用），请选择其他地点，或请管理员恢复它',
	township: `乡镇（街道）不能超过 ${OUTREACH_LIMITS.township} 个字`,
	placeKind: '请选择地点类型',
	speakers: '宣讲人须是本单位（含下级单位）的在职成员',
	speakersRequired: '请至少选择一位本单位的宣讲人',
	speakersMany: `宣讲人最多选择 ${MAX_SPEAKERS} 位`,
	otherSpeakers: `其他宣讲人不能超过 ${OUTREACH_LIMITS.otherSpeakers} 个字`,
	topics: '请从列表中选择宣讲主题',
	topicRequired: '请至少选择一个宣讲主题，或填写主题',
	topicText: `主题不能超过 ${OUTREACH_LIMITS.topicText} 个字`,
	audience: `受众人数应为 ${OUTREACH_LIMITS.audienceMin} 到 ${OUTREACH_LIMITS.audienceMax} 之间的整数`,
	audienceRequired: '请填写受众人数',
	format: '请选择宣讲形式',
	photos: `照片最多 ${OUTREACH_LIMITS.photos} 张`
} as const;

// ---------------------------------------------------------------- the form

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
function shanghaiTime(at: Date): string {
	const minutes = Math.floor((at.getTime() - shanghaiMidnight(shanghaiDay(at)).getTime()) / 60_000);
	return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Characters as people count them (an emoji or a rare 汉字 outside the BMP is one). */
const length = (text: string) => [...text].length;

// ---------------------------------------------------------------- scope

const isAdmin = (role: Role) => role === 'office_admin' || role === 'sysadmin';

/** The offices an actor may record talks for: a cadre their own, an admin those they manage. */
export function recordableOfficeIds(db: Queryable, actor: TalkViewer): number[] {
	if (isAdmin(actor.role)) return managedOfficeIds(db, actor);
	if (actor.role === 'cadre' && actor.officeId) return [actor.officeId];
	return [];
}

/** The office a new talk is for unless the admin picks another: the actor's own (a sysadmin's first). */
export function defaultTalkOffice(db: Queryable, actor: TalkViewer): number | null {
	const offices = recordableOfficeIds(db, actor);
	if (actor.officeId && offices.includes(actor.officeId)) return actor.officeId;
	return offices[0] ?? null;
}

/** The offices whose submitted talks a viewer sees: a cadre their own, an admin those they manage. */
function viewableOfficeIds(db: Queryable, viewer: TalkViewer): number[] {
	if (isAdmin(viewer.role)) return managedOfficeIds(db, viewer);
	if (viewer.role === 'cadre' && viewer.officeId) return [viewer.officeId];
	return [];
}

type TalkAccess = { officeId: number; status: 'draft' | 'submitted'; recordedBy: number };

function maySee(db: Queryable, viewer: TalkViewer, talk: TalkAccess): boolean {
	if (talk.status === 'draft') return talk.recordedBy === viewer.id;
	if (isAdmin(viewer.role)) return canManageOffice(db, viewer, talk.officeId);
	return viewer.role === 'cadre' && viewer.officeId === talk.officeId;
}

function mayEdit(db: Queryable, viewer: TalkViewer, talk: TalkAccess): boolean {
	if (talk.status === 'draft') return talk.recordedBy === viewer.id;
	return isAdmin(viewer.role) && canManageOffice(db, viewer, talk.officeId);
}

// ---------------------------------------------------------------- form options

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
	const places = s.activePlaces.all(officeId);
	if (own?.placeId && !places.some((p) => p.id === own.placeId)) {
		const kept = s.place.get(own.placeId);
		if (kept) places.push(kept);
	}
	const keptModules = own ? moduleIdsOf(s.topics.all(own.id)) : [];
	return {
		offices,
		places: places
			.sort((a, b) => byPinyin(a.name, b.name) || a.id - b.id)
			.map((p) => ({ id: p.id, name: p.name, township: p.township, kind: p.kind })),
		members: s.members.all(JSON.stringify(descendantIds(db, officeId))),
		modules: moduleOptions(db, { kind: 'office', officeId }, keptModules).map((m) => ({
			key: `m:${m.id}` as TopicKey,
			title: m.title
		})),
		parts
	};
}

function moduleIdsOf(topics: string[]): number[] {
	return topics.flatMap((t) => (/^m:\d+$/.test(t) ? [Number(t.slice(2))] : []));
}

// ---------------------------------------------------------------- checking

type PlaceChoice =
	| { kind: 'existing'; id: number; name: string }
	| { kind: 'new'; name: string; township: string; placeKind: PlaceKind };

interface Checked {
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

interface Existing {
	talk: TalkRow;
	speakers: number[];
	topics: string[];
}

/** Every value given is checked; with `complete`, every value a submitted talk needs must be given. */
function check(
	db: Queryable,
	officeId: number,
	input: TalkInput,
	complete: boolean,
	existing: Existing | undefined,
	now: Date
): { errors: FieldErrors; checked: Checked } {
	const s = outreachStatements(db);
	const errors: FieldErrors = {};
	const sameOffice = existing?.talk.officeId === officeId;

	// Date and time, in Shanghai.
	let heldAt: Date | null = null;
	let day: string | null = null;
	let time = DEFAULT_TIME;
	if (input.time) {
		const m = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/.exec(input.time);
		if (m) time = `${m[1]}:${m[2]}`;
		else errors.time = TALK_MESSAGES.time;
	}
	if (!input.date) {
		if (complete) errors.date = TALK_MESSAGES.dateRequired;
	} else if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) errors.date = TALK_MESSAGES.dateFormat;
	else if (input.date < OUTREACH_LIMITS.earliestDay) errors.date = TALK_MESSAGES.dateEarly;
	else if (!isCalendarDay(input.date)) errors.date = TALK_MESSAGES.dateInvalid;
	else if (input.date > addDays(shanghaiDay(now), OUTREACH_LIMITS.futureDays))
		errors.date = TALK_MESSAGES.dateLate;
	else {
		day = input.date;
		const [h, min] = time.split(':').map(Number) as [number, number];
		heldAt = new Date(shanghaiMidnight(day).getTime() + (h * 60 + min) * 60_000);
	}

	// Place: a new one typed in, or one of the office's list.
	let place: PlaceChoice | null = null;
	if (input.newPlaceName) {
		const name = input.newPlaceName;
		const township = input.newPlaceTownship;
		const kind = input.newPlaceKind;
		if (length(name) > OUTREACH_LIMITS.placeName) errors.newPlaceName = TALK_MESSAGES.placeName;
		if (length(township) > OUTREACH_LIMITS.township) errors.newPlaceTownship = TALK_MESSAGES.township;
		if (!(PLACE_KINDS as readonly string[]).includes(kind)) errors.newPlaceKind = TALK_MESSAGES.placeKind;
		const same = s.placeByName.get(officeId, name);
		if (same && !same.active && !(sameOffice && existing?.talk.placeId === same.id))
			errors.newPlaceName = TALK_MESSAGES.placeRetired;
		else if (same) place = { kind: 'existing', id: same.id, name: same.name };
		else place = { kind: 'new', name, township, placeKind: kind as PlaceKind };
	} else if (input.placeId) {
		const id = /^\d{1,15}$/.test(input.placeId) ? Number(input.placeId) : 0;
		const row = id ? s.place.get(id) : undefined;
		const kept = sameOffice && existing?.talk.placeId === id;
		if (row && row.officeId === officeId && (row.active || kept))
			place = { kind: 'existing', id: row.id, name: row.name };
		else errors.placeId = TALK_MESSAGES.place;
	} else if (complete) errors.placeId = TALK_MESSAGES.placeRequired;

	// Member speakers: active members of the office or an office below it.
	const speakers = [...new Set(input.speakers)];
	const speakerIds: number[] = [];
	if (speakers.some((v) => !/^\d{1,15}$/.test(v))) errors.speakers = TALK_MESSAGES.speakers;
	else if (speakers.length > MAX_SPEAKERS) errors.speakers = TALK_MESSAGES.speakersMany;
	else if (speakers.length) {
		const ids = speakers.map(Number);
		const eligible = new Set(
			s.eligibleSpeakers.all({
				ids: JSON.stringify(ids),
				offices: JSON.stringify(descendantIds(db, officeId))
			})
		);
		// Someone already speaking for this talk stays, though they left or moved since.
		const kept = new Set(sameOffice ? (existing?.speakers ?? []) : []);
		if (ids.every((id) => eligible.has(id) || kept.has(id))) speakerIds.push(...ids);
		else errors.speakers = TALK_MESSAGES.speakers;
	} else if (complete) errors.speakers = TALK_MESSAGES.speakersRequired;
	if (length(input.otherSpeakers) > OUTREACH_LIMITS.otherSpeakers)
		errors.otherSpeakers = TALK_MESSAGES.otherSpeakers;

	// Topics: modules the office sees (or the talk already had), parts of the report, free text.
	const topics: TopicKey[] = [];
	const wanted = [...new Set(input.topics)];
	const moduleIds = new Set<number>();
	let badTopic = false;
	for (const key of wanted) {
		const m = /^([mp]):(\d{1,9})$/.exec(key);
		if (!m) badTopic = true;
		else if (m[1] === 'p') {
			const part = Number(m[2]);
			if (part >= OPENING && part <= CLOSING && String(part) === m[2]) topics.push(`p:${part}`);
			else badTopic = true;
		} else moduleIds.add(Number(m[2]));
	}
	if (moduleIds.size) {
		const kept = sameOffice ? moduleIdsOf(existing?.topics ?? []) : [];
		const allowed = new Set(moduleOptions(db, { kind: 'office', officeId }, kept).map((o) => o.id));
		for (const id of moduleIds) {
			if (allowed.has(id)) topics.push(`m:${id}`);
			else badTopic = true;
		}
	}
	if (badTopic) errors.topics = TALK_MESSAGES.topics;
	if (length(input.topicText) > OUTREACH_LIMITS.topicText) errors.topicText = TALK_MESSAGES.topicText;
	if (complete && !badTopic && topics.length === 0 && !input.topicText)
		errors.topics = TALK_MESSAGES.topicRequired;

	// Audience and format.
	let audience: number | null = null;
	if (input.audience) {
		const n = /^\d{1,6}$/.test(input.audience) ? Number(input.audience) : NaN;
		if (n >= OUTREACH_LIMITS.audienceMin && n <= OUTREACH_LIMITS.audienceMax) audience = n;
		else errors.audience = TALK_MESSAGES.audience;
	} else if (complete) errors.audience = TALK_MESSAGES.audienceRequired;
	let format: TalkFormat | null = null;
	if (input.format) {
		if ((TALK_FORMATS as readonly string[]).includes(input.format)) format = input.format as TalkFormat;
		else errors.format = TALK_MESSAGES.format;
	} else if (complete) errors.format = TALK_MESSAGES.format;

	// Summary: 50–1000 characters to submit, at most 1000 in a draft.
	const n = length(input.summary);
	if (complete && (n < OUTREACH_LIMITS.summaryMin || n > OUTREACH_LIMITS.summaryMax))
		errors.summary = `内容摘要应为 ${OUTREACH_LIMITS.summaryMin} 到 ${OUTREACH_LIMITS.summaryMax} 字（现在 ${n} 字）`;
	else if (n > OUTREACH_LIMITS.summaryMax)
		errors.summary = `内容摘要不能超过 ${OUTREACH_LIMITS.summaryMax} 字（现在 ${n} 字）`;

	return {
		errors,
		checked: {
			heldAt,
			day,
			place,
			speakers: speakerIds,
			otherSpeakers: input.otherSpeakers,
			topics,
			topicText: input.topicText,
			audience,
			format,
			summary: input.summary
		}
	};
}

// ---------------------------------------------------------------- saving

export interface SaveTalkRequest {
	/** Absent: a new talk. */
	talkId?: number;
	/** 'draft' keeps it a draft; 'submit' submits it. A submitted talk an admin edits is corrected either way. */
	intent: 'draft' | 'submit';
	input: TalkInput;
	/** New photos, already processed and stored (photos.ts), in the order sent. */
	photos: ProcessedPhoto[];
	/** Photos of this talk to remove (ids of other talks are ignored). */
	removePhotoIds: number[];
}

export type SaveTalkResult =
	| {
			ok: true;
			id: number;
			status: 'draft' | 'submitted';
			/** Points awarded by this save (speakers whose daily cap was reached are left out). */
			awarded: { userId: number; points: number }[];
	  }
	| { ok: false; errors: FieldErrors };

const refused = (errors: FieldErrors | string): SaveTalkResult => ({
	ok: false,
	errors: typeof errors === 'string' ? { _form: errors } : errors
});

/**
 * Creates a talk, edits a draft, submits one, or (an admin, a submitted talk) corrects it — all in
 * one transaction: the talk row, its speakers and topics, a place added inline, photo rows, the
 * audit row and the points. A refused form writes nothing. A second submit of a talk already
 * submitted (a double click, another tab) by its recorder changes nothing and succeeds.
 */
export function saveTalk(
	db: Db,
	actor: TalkActor,
	request: SaveTalkRequest,
	now = new Date()
): SaveTalkResult {
	return db.transaction((tx) => saveInTransaction(tx, actor, request, now));
}

function saveInTransaction(tx: Tx, actor: TalkActor, request: SaveTalkRequest, now: Date): SaveTalkResult {
	const s = outreachStatements(tx);
	const recordable = recordableOfficeIds(tx, actor);
	let existing: Existing | undefined;
	let mode: 'draft' | 'submit' | 'correct' = request.intent;
	if (request.talkId !== undefined) {
		const talk = s.talk.get({ id: request.talkId });
		if (!talk || !maySee(tx, actor, talk)) return refused(TALK_NOT_FOUND);
		if (talk.status === 'submitted') {
			if (mayEdit(tx, actor, talk)) mode = 'correct';
			else if (talk.recordedBy === actor.id && request.intent === 'submit')
				return { ok: true, id: talk.id, status: 'submitted', awarded: [] };
			else
				return refused(talk.recordedBy === actor.id ? TALK_MESSAGES.submittedReadOnly : TALK_MESSAGES.noEdit);
		} else if (!mayEdit(tx, actor, talk)) return refused(TALK_NOT_FOUND);
		existing = { talk, speakers: s.speakerIds.all(talk.id), topics: s.topics.all(talk.id) };
	}
	if (recordable.length === 0) return refused(TALK_MESSAGES.notMember);

	// The office: a cadre's own; an admin's choice among theirs (else the talk's, else their own).
	let officeId: number | null;
	if (!isAdmin(actor.role)) officeId = actor.officeId;
	else if (request.input.officeId)
		officeId = /^\d{1,15}$/.test(request.input.officeId) ? Number(request.input.officeId) : null;
	else officeId = existing?.talk.officeId ?? defaultTalkOffice(tx, actor);
	if (officeId === null || !recordable.includes(officeId)) return refused({ officeId: TALK_MESSAGES.office });

	const { errors, checked } = check(tx, officeId, request.input, mode !== 'draft', existing, now);
	const photoRows = existing ? s.photos.all({ talkId: existing.talk.id }) : [];
	const removed = new Set(request.removePhotoIds.filter((id) => photoRows.some((p) => p.id === id)));
	if (photoRows.length - removed.size + request.photos.length > OUTREACH_LIMITS.photos)
		errors.photos = TALK_MESSAGES.photos;
	if (Object.keys(errors).length > 0) return refused(errors);

	const before =
		existing && mode === 'correct' ? describe(tx, existing.talk, existing.speakers, existing.topics) : null;
	const officeName = getOffice(tx, officeId)?.name ?? '';

	// A place typed in joins the office's list (an admin's addition is audited).
	let placeId: number | null = null;
	let placeName = '';
	if (checked.place?.kind === 'existing') {
		placeId = checked.place.id;
		placeName = checked.place.name;
	} else if (checked.place?.kind === 'new') {
		const { name, township, placeKind } = checked.place;
		placeId = Number(
			s.insertPlace.run({ officeId, name, township, kind: placeKind, now: now.getTime() }).lastInsertRowid
		);
		placeName = name;
		if (isAdmin(actor.role))
			recordAudit(tx, actor, {
				action: 'place.create',
				officeId,
				target: { type: 'place', id: placeId },
				summary: `新增宣讲地点「${name}」（${officeName}，${PLACE_KIND_LABELS[placeKind]}）`,
				at: now
			});
	}

	const row = {
		officeId,
		heldAt: checked.heldAt?.getTime() ?? null,
		day: checked.day,
		placeId,
		format: checked.format,
		audience: checked.audience,
		summary: checked.summary,
		topicText: checked.topicText,
		otherSpeakers: checked.otherSpeakers,
		now: now.getTime()
	};
	let talkId: number;
	if (existing) {
		talkId = existing.talk.id;
		s.updateTalk.run({ id: talkId, ...row });
	} else {
		talkId = Number(s.insertTalk.run({ recordedBy: actor.id, ...row }).lastInsertRowid);
	}
	s.clearSpeakers.run(talkId);
	for (const userId of checked.speakers) s.addSpeaker.run(talkId, userId);
	s.clearTopics.run(talkId);
	for (const topic of checked.topics) s.addTopic.run(talkId, topic);
	for (const id of removed) s.deletePhoto.run(id, talkId);
	let position = s.nextPhotoPosition.get(talkId) ?? 0;
	for (const photo of request.photos)
		s.insertPhoto.run({
			talkId,
			position: position++,
			sha256: photo.sha256,
			thumbSha256: photo.thumbSha256,
			width: photo.width,
			height: photo.height,
			size: photo.size,
			uploadedBy: actor.id,
			now: now.getTime()
		});

	if (mode === 'draft') return { ok: true, id: talkId, status: 'draft', awarded: [] };

	const what = `${officeName}的宣讲活动（${checked.day} ${placeName}）`;
	if (mode === 'submit') {
		// Only a draft becomes submitted: of two submits at once, one changes the row and pays.
		if (s.submitTalk.run({ id: talkId, now: now.getTime() }).changes === 0)
			return { ok: true, id: talkId, status: 'submitted', awarded: [] };
		if (isAdmin(actor.role))
			recordAudit(tx, actor, {
				action: 'talk.record',
				officeId,
				target: { type: 'talk', id: talkId },
				summary: `登记了${what}`,
				at: now
			});
		return {
			ok: true,
			id: talkId,
			status: 'submitted',
			awarded: awardSpeakers(tx, talkId, checked.speakers, placeName, now)
		};
	}

	// A correction: the changed fields audited; speakers it adds earn their points.
	const after = describe(tx, s.talk.get({ id: talkId })!, checked.speakers, checked.topics);
	const changes = changesOf(CHANGE_LABELS, before!, after);
	if (removed.size > 0 || request.photos.length > 0) {
		const edits = [
			request.photos.length ? `新增 ${request.photos.length} 张` : '',
			removed.size ? `删除 ${removed.size} 张` : ''
		].filter(Boolean);
		const count = photoRows.length - removed.size + request.photos.length;
		changes.push({ label: '照片', from: `${photoRows.length} 张`, to: `${count} 张（${edits.join('，')}）` });
	}
	if (changes.length > 0) {
		s.markCorrected.run({ id: talkId, userId: actor.id, now: now.getTime() });
		recordAudit(tx, actor, {
			action: 'talk.correct',
			officeId,
			target: { type: 'talk', id: talkId },
			summary: `更正了${what}`,
			detail: { changes },
			at: now
		});
	}
	const added = checked.speakers.filter((id) => !existing!.speakers.includes(id));
	return {
		ok: true,
		id: talkId,
		status: 'submitted',
		awarded: awardSpeakers(tx, talkId, added, placeName, now)
	};
}

function awardSpeakers(
	tx: Tx,
	talkId: number,
	speakers: number[],
	placeName: string,
	now: Date
): { userId: number; points: number }[] {
	if (speakers.length === 0) return [];
	const offices = new Map(
		outreachStatements(tx)
			.usersByIds.all(JSON.stringify(speakers))
			.map((u) => [u.id, u.officeId])
	);
	const awarded: { userId: number; points: number }[] = [];
	for (const userId of speakers) {
		const result = award(tx, {
			userId,
			officeId: offices.get(userId) ?? null,
			rule: 'outreach_talk',
			key: `outreach:${talkId}:${userId}`,
			reason: `宣讲：${placeName}`,
			at: now
		});
		if (result.awarded > 0) awarded.push({ userId, points: result.awarded });
	}
	return awarded;
}

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

type Described = Record<keyof typeof CHANGE_LABELS, string>;

/** A talk's fields as people read them, for the correction's audit row. */
function describe(db: Queryable, talk: TalkRow, speakers: number[], topics: string[]): Described {
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

/** Topic keys as labels and links: parts of the report in their order, then modules by title. */
function topicsOf(db: Queryable, keys: string[]): { key: TopicKey; label: string; href: string }[] {
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

/** Deletes the actor's own draft (and its photo rows); false when it is not one. */
export function deleteDraft(db: Db, actor: TalkViewer, talkId: number): boolean {
	return db.transaction((tx) => outreachStatements(tx).deleteDraft.run(talkId, actor.id).changes > 0);
}

// ---------------------------------------------------------------- reading

/** A talk as the viewer may see it, or null (not found, another office's, someone else's draft). */
export function getTalk(db: Queryable, viewer: TalkViewer, talkId: number): TalkView | null {
	const s = outreachStatements(db);
	const row = s.talkDetail.get(talkId);
	if (!row || !maySee(db, viewer, row)) return null;
	return {
		id: row.id,
		officeId: row.officeId,
		officeName: row.officeName,
		status: row.status,
		heldAt: row.heldAt,
		day: row.day,
		place:
			row.placeId === null
				? null
				: {
						id: row.placeId,
						name: row.placeName ?? '',
						township: row.placeTownship ?? '',
						kind: row.placeKind!
					},
		format: row.format,
		audience: row.audience,
		summary: row.summary,
		topicText: row.topicText,
		topics: topicsOf(db, s.topics.all(row.id)),
		speakers: s.speakers.all(row.id),
		otherSpeakers: row.otherSpeakers,
		photos: s.photos.all({ talkId: row.id }).map((p) => ({ id: p.id, width: p.width, height: p.height })),
		recordedBy: { id: row.recordedBy, name: row.recorderName },
		submittedAt: row.submittedAt,
		correctedAt: row.correctedAt,
		correctedBy: row.correctorName === null ? null : { name: row.correctorName },
		canEdit: mayEdit(db, viewer, row),
		canDelete: row.status === 'draft' && row.recordedBy === viewer.id
	};
}

export interface ListTalksQuery {
	/** The offices to list; those the viewer may not see are left out ([]: all the viewer may see). */
	officeIds: number[];
	/** First and last Shanghai day (YYYY-MM-DD), inclusive; absent or not a day: open. */
	from?: string;
	to?: string;
	page: number;
	pageSize: number;
}

/** Submitted talks the viewer may see, newest first, a page at a time. */
export function listTalks(
	db: Queryable,
	viewer: TalkViewer,
	options: ListTalksQuery
): { rows: TalkSummary[]; total: number } {
	const viewable = viewableOfficeIds(db, viewer);
	const offices = options.officeIds.length
		? options.officeIds.filter((id) => viewable.includes(id))
		: viewable;
	if (offices.length === 0) return { rows: [], total: 0 };
	const day = (d: string | undefined) => (d && isCalendarDay(d) ? d : null);
	const pageSize = Math.min(Math.max(Math.trunc(options.pageSize) || 20, 1), 500);
	const page = Math.min(Math.max(Math.trunc(options.page) || 1, 1), 10_000);
	const params = { offices: JSON.stringify(offices), from: day(options.from), to: day(options.to) };
	const s = outreachStatements(db);
	const total = s.countListed.get(params) ?? 0;
	const rows = s.listed.all({ ...params, limit: pageSize, offset: (page - 1) * pageSize });
	const names = new Map<number, string[]>();
	for (const { talkId, name } of s.speakerNamesOf.all(JSON.stringify(rows.map((r) => r.id))))
		names.set(talkId, [...(names.get(talkId) ?? []), name]);
	return {
		total,
		rows: rows.map((r) => ({
			id: r.id,
			day: r.day,
			heldAt: r.heldAt,
			officeName: r.officeName,
			placeName: r.placeName,
			format: r.format,
			audience: r.audience,
			speakerNames: [...(names.get(r.id) ?? []), ...(r.otherSpeakers ? [r.otherSpeakers] : [])].join('、'),
			firstPhotoId: r.firstPhotoId,
			photoCount: r.photoCount
		}))
	};
}

/** The user's drafts, last changed first. */
export function myDrafts(db: Queryable, userId: number): DraftRow[] {
	return outreachStatements(db).drafts.all(userId);
}

export interface TalkPhoto {
	id: number;
	position: number;
	sha256: string;
	thumbSha256: string;
	width: number;
	height: number;
	size: number;
}

/** A talk's photos in order (for pages that already checked the viewer, the print view, the export). */
export function photosOfTalk(db: Queryable, talkId: number): TalkPhoto[] {
	return outreachStatements(db).photos.all({ talkId });
}

/** A photo's stored files, if the viewer may see its talk. */
export function photoForViewer(
	db: Queryable,
	viewer: TalkViewer,
	photoId: number
): { sha256: string; thumbSha256: string } | null {
	const row = outreachStatements(db).photoWithTalk.get(photoId);
	if (!row || !maySee(db, viewer, row)) return null;
	return { sha256: row.sha256, thumbSha256: row.thumbSha256 };
}
