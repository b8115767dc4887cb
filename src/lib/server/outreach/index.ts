/**
 * 宣讲活动 (issue 20): the API routes call. Each part lives in its own file:
 * - form.ts — the talk form's values: as sent, blank, filled from a talk
 * - messages.ts — the words of a refused talk form
 * - scope.ts — who records, sees and edits which talk
 * - options.ts — what the talk form offers to choose from
 * - check.ts — the form checked field group by field group (used by save.ts)
 * - save.ts — drafts, submit, an admin's correction (correction.ts: its audit row), points; deleting a draft
 * - read.ts — one talk, the viewer's list, drafts, photos for whoever may see the talk
 * - topics.ts — topic keys as labels and links
 * - photos.ts — the multipart talk form read within its limits, photos re-encoded without metadata
 * - places.ts — an office's places and their spreadsheet import
 * - ranges.ts — the ranges of days figures count
 * - figures.ts — what counts; headline figures; the roll-up by office
 * - compare.ts — talks per member in the office comparison
 * - talk-lists.ts — the talks of offices for the dashboard, 宣讲统计 and the 学习档案
 * - report-talks.ts, export.ts — the period's talks for the .xlsx export and the printed summary
 * - statements.ts — the prepared statements of the talk pages; types.ts — the shapes routes get
 *
 * - A cadre records talks of their own office; an office admin (or sysadmin) records talks of any
 *   office they manage and corrects its submitted talks (audited `talk.correct` with the changes).
 * - A draft is seen, edited and deleted only by whoever recorded it; submitting needs every field.
 * - Submitting awards each member speaker the 宣讲活动 points once (ledger key per talk and speaker),
 *   in the same transaction; a correction that adds a speaker awards them the same way.
 * - A cadre sees the submitted talks of their own office; an admin those of the offices they manage.
 */
export * from './types';

export { parseTalkForm, emptyTalkInput, talkInputOf, type TalkFields } from './form';
export { TALK_MESSAGES, TALK_NOT_FOUND } from './messages';
export { recordableOfficeIds, defaultTalkOffice, type TalkActor, type TalkViewer } from './scope';
export { talkFormOptions, type TalkFormOptions } from './options';
export { saveTalk, deleteDraft, type SaveTalkRequest, type SaveTalkResult } from './save';
export {
	getTalk,
	listTalks,
	myDrafts,
	photosOfTalk,
	photoForViewer,
	type DraftSummary,
	type ListTalksQuery,
	type TalkPhoto
} from './read';

export {
	QUICK_RANGES,
	QUICK_RANGE_LABELS,
	quickRange,
	periodRange,
	validDay,
	rangeParams,
	type DayRange,
	type QuickRange
} from './ranges';
export {
	outreachHeadline,
	outreachByOffice,
	per100,
	type OutreachHeadline,
	type OfficeOutreachRow
} from './figures';
export {
	talksPerMember,
	rankByTalks,
	compareWithTalks,
	COMPARE_METRIC_LABELS,
	type CompareMetric,
	type OfficeFigureWithTalks,
	type TalksPerMember
} from './compare';
export { recentTalks, periodTalks, userTalks, type UserTalk } from './talk-lists';
export { reportTalks, type ReportTalk } from './report-talks';

// Their own files' public surface, whole.
export * from './photos';
export * from './places';
export * from './export';
