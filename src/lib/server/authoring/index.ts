/**
 * Authoring (in-app study content): drafts, review and publishing, versions. The public surface
 * routes call; each part lives in its own file:
 * - drafts.ts — the author's list, the scoped loader, new modules and their fields
 * - copy.ts — copying a built-in module (or one of the owner's) into a new draft
 * - lessons.ts, questions.ts — the lessons and the question bank of a draft
 * - preview.ts — Markdown and whole modules rendered as learners get them
 * - item-stats.ts — the latest exam's item analysis beside each question of the bank
 * - themes.ts — the themes to choose from; schools add themes
 * - review.ts — submit, recall, approve (publishing), return
 * - publish.ts — the live rows written at approval; 下线
 * - versions.ts, diff.ts — published versions, restore, the reviewer's comparison
 * - store.ts, validate.ts — scope and the one edit transaction; the field rules
 * Every write takes the acting admin (`AuditActor`, from `actorOf(event)`), checks that the
 * draft belongs to the actor's owner (authorOwner), and writes its audit row in its transaction.
 */

export type { ModuleDoc, LessonDoc, QuestionDoc } from './doc';
export { DEFAULT_QUIZ, authoredSlug } from './doc';
export { authorOwner, type Owner, type AuthorUser } from './owner';
export {
	type Result,
	type Fields,
	type AuthoredRow,
	type Draft,
	type TextDiffPart,
	type DocDiff,
	type RenderedModule,
	type VersionRow
} from './types';
export { NOT_FOUND } from './store';
export { LIMITS } from './validate';

export {
	listAuthored,
	authoredDraft,
	createDraft,
	saveModuleFields,
	moduleFields,
	newModuleFields,
	ownerHasSingleAdmin
} from './drafts';
export { copyModule } from './copy';
export { saveLesson, moveLesson, reorderLessons, removeLesson, lessonFields } from './lessons';
export {
	saveQuestion,
	removeQuestion,
	questionWarnings,
	questionFields,
	rubricTotal,
	isObjective,
	objectiveCount,
	LETTER_WARNING,
	MAX_OPTIONS,
	MAX_BLANKS
} from './questions';
export { lessonPreview, renderDoc } from './preview';
export { bankItemStats, ITEM_FLAG_LABELS, type BankItemStat } from './item-stats';
export { themeOptions, createTheme } from './themes';
export {
	submitDraft,
	recallDraft,
	approveDraft,
	returnDraft,
	docProblems,
	SECOND_ADMIN_NEEDED,
	CONFIRM_SELF_APPROVAL
} from './review';
export { withdrawModule, activeCourses } from './publish';
export { listVersions, versionDoc, restoreVersion } from './versions';
export { draftDiff, answerText } from './diff';
export { copyableModules } from './copyable';
