/**
 * 宣讲 (outreach talks): the labels and limits that pages, components and the server share.
 * The server's rules live in $lib/server/outreach; these are the words and numbers they use.
 */

/** The kinds of place an office's 宣讲 goes to. */
export const PLACE_KINDS = ['liaison_station', 'village', 'community', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** The ways a talk is given. */
export const TALK_FORMATS = ['lecture', 'door_to_door', 'forum', 'other'] as const;
export type TalkFormat = (typeof TALK_FORMATS)[number];

export const PLACE_KIND_LABELS: Record<PlaceKind, string> = {
	liaison_station: '人大代表联络站',
	village: '驻村包联点（村）',
	community: '社区',
	other: '其他'
};

export const TALK_FORMAT_LABELS: Record<TalkFormat, string> = {
	lecture: '集中宣讲',
	door_to_door: '入户宣讲',
	forum: '座谈',
	other: '其他'
};

export const OUTREACH_LIMITS = {
	/** A submitted talk's summary, in characters (a draft may be shorter). */
	summaryMin: 50,
	summaryMax: 1000,
	audienceMin: 1,
	/** More than this at one talk is a typing error (a stadium is not a 宣讲 venue). */
	audienceMax: 10_000,
	/** How far ahead a talk may be recorded (a planned talk, entered the week before). */
	futureDays: 7,
	/** The first day of the 20th Party Congress: no talk on its report before it. */
	earliestDay: '2022-10-16',
	photos: 9,
	/** Bytes of one photo as uploaded (phones take 3–8 MB photos). */
	photoBytes: 10 * 1024 * 1024,
	/** Pixels of one photo as decoded: bounds the memory a decompression bomb could take. */
	photoPixels: 50_000_000,
	/** The long side of a stored photo and of its thumbnail, in pixels. */
	photoSide: 2048,
	thumbSide: 480,
	topicText: 100,
	otherSpeakers: 200,
	placeName: 60,
	township: 30,
	/** Places one office may import at once. */
	importRows: 500
} as const;

/** A topic of a talk as stored: a module (`m:12`) or a part of the report (`p:3`, 0 开篇 … 16 结束语). */
export type TopicKey = `m:${number}` | `p:${number}`;
