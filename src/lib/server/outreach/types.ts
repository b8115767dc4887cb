import type { PlaceKind, TalkFormat, TopicKey } from '../../outreach';

/** A photo as processPhoto stored it: both files in the media dir by SHA-256 (re-encoded JPEG, no metadata). */
export interface ProcessedPhoto {
	sha256: string;
	thumbSha256: string;
	width: number;
	height: number;
	/** Bytes of the stored (re-encoded) photo. */
	size: number;
}

/**
 * The talk form as sent: raw (trimmed) strings, kept to fill the form in again after a refusal.
 * saveTalk validates them; nothing here is trusted.
 */
export interface TalkInput {
	/** The office the talk is counted for (admins choose among theirs; '' = the actor's own). */
	officeId: string;
	/** YYYY-MM-DD, Asia/Shanghai. */
	date: string;
	/** HH:MM, Asia/Shanghai ('' = 09:00). */
	time: string;
	placeId: string;
	newPlaceName: string;
	newPlaceTownship: string;
	newPlaceKind: string;
	/** Member speakers' user ids. */
	speakers: string[];
	otherSpeakers: string;
	/** TopicKeys: `m:<moduleId>` or `p:<0..16>`. */
	topics: string[];
	topicText: string;
	audience: string;
	format: string;
	summary: string;
}

export interface TalkPlace {
	id: number;
	name: string;
	township: string;
	kind: PlaceKind;
}

export interface TalkView {
	id: number;
	officeId: number;
	officeName: string;
	status: 'draft' | 'submitted';
	heldAt: Date | null;
	day: string | null;
	place: TalkPlace | null;
	format: TalkFormat | null;
	audience: number | null;
	summary: string;
	topicText: string;
	topics: { key: TopicKey; label: string; href: string }[];
	speakers: { id: number; name: string; username: string }[];
	otherSpeakers: string;
	photos: { id: number; width: number; height: number }[];
	recordedBy: { id: number; name: string };
	submittedAt: Date | null;
	correctedAt: Date | null;
	correctedBy: { name: string } | null;
	canEdit: boolean;
	canDelete: boolean;
}

export interface TalkSummary {
	id: number;
	day: string;
	heldAt: Date;
	officeName: string;
	placeName: string;
	format: TalkFormat;
	audience: number;
	/** Member speakers in pinyin order, then the other speakers, 、-separated. */
	speakerNames: string;
	firstPhotoId: number | null;
	photoCount: number;
}
