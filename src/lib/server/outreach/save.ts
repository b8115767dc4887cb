// 宣讲: saving a talk — a new draft, an edited draft, a submit, or an admin's correction of a
// submitted talk — in one transaction with its place, photos, audit row and points; and deleting
// a draft. Submitting awards each member speaker the 宣讲活动 points once (ledger key per talk and
// speaker); a correction that adds a speaker awards them the same way.
import type { Db, Tx } from '../db';
import { recordAudit } from '../audit';
import { award } from '../points/ledger';
import { getOffice } from '../org/offices';
import type { FieldErrors } from '../validation';
import { OUTREACH_LIMITS, PLACE_KIND_LABELS } from '../../outreach';
import { check, type Checked, type Existing } from './check';
import { correctionChanges, describeTalk, type DescribedTalk, type PhotoCounts } from './correction';
import { TALK_MESSAGES, TALK_NOT_FOUND } from './messages';
import {
	defaultTalkOffice,
	isAdmin,
	mayEdit,
	maySee,
	recordableOfficeIds,
	type TalkActor,
	type TalkViewer
} from './scope';
import { outreachStatements } from './statements';
import type { ProcessedPhoto, TalkInput } from './types';

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

type Awarded = { userId: number; points: number }[];

export type SaveTalkResult =
	| {
			ok: true;
			id: number;
			status: 'draft' | 'submitted';
			/** Points awarded by this save (speakers whose daily cap was reached are left out). */
			awarded: Awarded;
	  }
	| { ok: false; errors: FieldErrors };

/** What a save does: keep a draft, submit one, or correct a submitted talk. */
type Mode = 'draft' | 'submit' | 'correct';

const refused = (errors: FieldErrors | string): SaveTalkResult => ({
	ok: false,
	errors: typeof errors === 'string' ? { _form: errors } : errors
});

const saved = (id: number, status: 'draft' | 'submitted', awarded: Awarded = []): SaveTalkResult => ({
	ok: true,
	id,
	status,
	awarded
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
	const opened = openTalk(tx, actor, request);
	if ('done' in opened) return opened.done;
	const { existing, mode } = opened;
	const recordable = recordableOfficeIds(tx, actor);
	if (recordable.length === 0) return refused(TALK_MESSAGES.notMember);
	const officeId = talkOffice(tx, actor, request.input, existing);
	if (officeId === null || !recordable.includes(officeId)) return refused({ officeId: TALK_MESSAGES.office });

	const { errors, checked } = check(tx, officeId, request.input, mode !== 'draft', existing, now);
	const photos = photoChanges(tx, existing, request);
	if (photos.before - photos.removed + photos.added > OUTREACH_LIMITS.photos)
		errors.photos = TALK_MESSAGES.photos;
	if (Object.keys(errors).length > 0) return refused(errors);

	const before =
		existing && mode === 'correct'
			? describeTalk(tx, existing.talk, existing.speakers, existing.topics)
			: null;
	const officeName = getOffice(tx, officeId)?.name ?? '';
	const place = writePlace(tx, actor, officeId, officeName, checked, now);
	const talkId = writeTalk(tx, actor, officeId, place.id, checked, existing, now);
	writeSpeakersAndTopics(tx, talkId, checked);
	writePhotos(tx, actor, talkId, photos.removedIds, request.photos, now);

	if (mode === 'draft') return saved(talkId, 'draft');
	const talk = { talkId, officeId, what: `${officeName}的宣讲活动（${checked.day} ${place.name}）` };
	if (mode === 'submit') return submit(tx, actor, talk, checked.speakers, place.name, now);
	const was = { described: before!, speakers: existing!.speakers };
	return correct(tx, actor, talk, was, checked, photos, place.name, now);
}

/**
 * The talk a save is for and what the save does, or the result already decided: refused (not
 * found, not the actor's to edit) or a repeated submit, which succeeds without changing anything.
 */
function openTalk(
	tx: Tx,
	actor: TalkViewer,
	request: SaveTalkRequest
): { done: SaveTalkResult } | { existing: Existing | undefined; mode: Mode } {
	if (request.talkId === undefined) return { existing: undefined, mode: request.intent };
	const s = outreachStatements(tx);
	const talk = s.talk.get({ id: request.talkId });
	if (!talk || !maySee(tx, actor, talk)) return { done: refused(TALK_NOT_FOUND) };
	let mode: Mode = request.intent;
	if (talk.status === 'submitted') {
		if (mayEdit(tx, actor, talk)) mode = 'correct';
		else if (talk.recordedBy === actor.id && request.intent === 'submit')
			return { done: saved(talk.id, 'submitted') };
		else
			return {
				done: refused(talk.recordedBy === actor.id ? TALK_MESSAGES.submittedReadOnly : TALK_MESSAGES.noEdit)
			};
	} else if (!mayEdit(tx, actor, talk)) return { done: refused(TALK_NOT_FOUND) };
	return { existing: { talk, speakers: s.speakerIds.all(talk.id), topics: s.topics.all(talk.id) }, mode };
}

/** The office: a cadre's own; an admin's choice among theirs (else the talk's, else their own). */
function talkOffice(
	tx: Tx,
	actor: TalkViewer,
	input: TalkInput,
	existing: Existing | undefined
): number | null {
	if (!isAdmin(actor.role)) return actor.officeId;
	if (input.officeId) return /^\d{1,15}$/.test(input.officeId) ? Number(input.officeId) : null;
	return existing?.talk.officeId ?? defaultTalkOffice(tx, actor);
}

/** How many photos the talk has, which of them the request removes (other ids ignored), how many it adds. */
function photoChanges(
	tx: Tx,
	existing: Existing | undefined,
	request: SaveTalkRequest
): PhotoCounts & { removedIds: Set<number> } {
	const rows = existing ? outreachStatements(tx).photos.all({ talkId: existing.talk.id }) : [];
	const removedIds = new Set(request.removePhotoIds.filter((id) => rows.some((p) => p.id === id)));
	return { before: rows.length, removed: removedIds.size, added: request.photos.length, removedIds };
}

/** The talk's place; one typed in joins the office's list (an admin's addition is audited). */
function writePlace(
	tx: Tx,
	actor: TalkActor,
	officeId: number,
	officeName: string,
	checked: Checked,
	now: Date
): { id: number | null; name: string } {
	if (checked.place?.kind === 'existing') return { id: checked.place.id, name: checked.place.name };
	if (checked.place?.kind !== 'new') return { id: null, name: '' };
	const { name, township, placeKind } = checked.place;
	const id = Number(
		outreachStatements(tx).insertPlace.run({ officeId, name, township, kind: placeKind, now: now.getTime() })
			.lastInsertRowid
	);
	if (isAdmin(actor.role))
		recordAudit(tx, actor, {
			action: 'place.create',
			officeId,
			target: { type: 'place', id },
			summary: `新增宣讲地点「${name}」（${officeName}，${PLACE_KIND_LABELS[placeKind]}）`,
			at: now
		});
	return { id, name };
}

/** The talk row, updated or inserted; its id. */
function writeTalk(
	tx: Tx,
	actor: TalkActor,
	officeId: number,
	placeId: number | null,
	checked: Checked,
	existing: Existing | undefined,
	now: Date
): number {
	const s = outreachStatements(tx);
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
	if (!existing) return Number(s.insertTalk.run({ recordedBy: actor.id, ...row }).lastInsertRowid);
	s.updateTalk.run({ id: existing.talk.id, ...row });
	return existing.talk.id;
}

function writeSpeakersAndTopics(tx: Tx, talkId: number, checked: Checked): void {
	const s = outreachStatements(tx);
	s.clearSpeakers.run(talkId);
	for (const userId of checked.speakers) s.addSpeaker.run(talkId, userId);
	s.clearTopics.run(talkId);
	for (const topic of checked.topics) s.addTopic.run(talkId, topic);
}

/** Removes the photos asked for, then adds the new ones after the talk's last. */
function writePhotos(
	tx: Tx,
	actor: TalkActor,
	talkId: number,
	removedIds: Set<number>,
	photos: ProcessedPhoto[],
	now: Date
): void {
	const s = outreachStatements(tx);
	for (const id of removedIds) s.deletePhoto.run(id, talkId);
	let position = s.nextPhotoPosition.get(talkId) ?? 0;
	for (const photo of photos)
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
}

/** The talk the audit rows name: its id, office, and `某单位的宣讲活动（day place）`. */
type AuditedTalk = { talkId: number; officeId: number; what: string };

/** Submits the draft (an admin's submit audited) and pays the speakers. */
function submit(
	tx: Tx,
	actor: TalkActor,
	talk: AuditedTalk,
	speakers: number[],
	placeName: string,
	now: Date
): SaveTalkResult {
	// Only a draft becomes submitted: of two submits at once, one changes the row and pays.
	if (outreachStatements(tx).submitTalk.run({ id: talk.talkId, now: now.getTime() }).changes === 0)
		return saved(talk.talkId, 'submitted');
	if (isAdmin(actor.role))
		recordAudit(tx, actor, {
			action: 'talk.record',
			officeId: talk.officeId,
			target: { type: 'talk', id: talk.talkId },
			summary: `登记了${talk.what}`,
			at: now
		});
	return saved(talk.talkId, 'submitted', awardSpeakers(tx, talk.talkId, speakers, placeName, now));
}

/**
 * A correction: the changed fields (and photos) audited and the talk marked corrected, if anything
 * changed; speakers it adds earn their points.
 */
function correct(
	tx: Tx,
	actor: TalkActor,
	talk: AuditedTalk,
	was: { described: DescribedTalk; speakers: number[] },
	checked: Checked,
	photos: PhotoCounts,
	placeName: string,
	now: Date
): SaveTalkResult {
	const s = outreachStatements(tx);
	const after = describeTalk(tx, s.talk.get({ id: talk.talkId })!, checked.speakers, checked.topics);
	const changes = correctionChanges(was.described, after, photos);
	if (changes.length > 0) {
		s.markCorrected.run({ id: talk.talkId, userId: actor.id, now: now.getTime() });
		recordAudit(tx, actor, {
			action: 'talk.correct',
			officeId: talk.officeId,
			target: { type: 'talk', id: talk.talkId },
			summary: `更正了${talk.what}`,
			detail: { changes },
			at: now
		});
	}
	const added = checked.speakers.filter((id) => !was.speakers.includes(id));
	return saved(talk.talkId, 'submitted', awardSpeakers(tx, talk.talkId, added, placeName, now));
}

/** 宣讲活动 points for each speaker, once per talk (the ledger key), within the daily cap. */
function awardSpeakers(tx: Tx, talkId: number, speakers: number[], placeName: string, now: Date): Awarded {
	if (speakers.length === 0) return [];
	const offices = new Map(
		outreachStatements(tx)
			.usersByIds.all(JSON.stringify(speakers))
			.map((u) => [u.id, u.officeId])
	);
	const awarded: Awarded = [];
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

/** Deletes the actor's own draft (and its photo rows); false when it is not one. */
export function deleteDraft(db: Db, actor: TalkViewer, talkId: number): boolean {
	return db.transaction((tx) => outreachStatements(tx).deleteDraft.run(talkId, actor.id).changes > 0);
}
