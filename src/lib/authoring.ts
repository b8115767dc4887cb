/**
 * What the authoring pages show of the server's answers (src/lib/server/authoring), shared by the
 * server, which builds them, and the components, which show them: a module rendered as learners
 * get it, a draft's differences from its published version, and the labels of lesson kinds and
 * draft states. Types and words only: it runs in the browser as well.
 */

export type LessonKind = 'text' | 'video' | 'audio';
export type DraftStatus = 'editing' | 'submitted' | 'published';

export const LESSON_KIND_LABELS: Readonly<Record<LessonKind, string>> = {
	text: '图文',
	video: '视频',
	audio: '音频'
};

export const DRAFT_STATUS_LABELS: Readonly<Record<DraftStatus, string>> = {
	editing: '草稿',
	submitted: '待审核',
	published: '已发布'
};

/** Shown on the draft's editing pages while it awaits review. */
export const LOCKED_FOR_REVIEW = '本模块正在等待审核，待审核期间不能修改。需要修改时请先在模块页撤回提交。';

/** Lesson Markdown as learners get it, with its reading figures and what would be refused (the editor's preview). */
export interface LessonPreview {
	html: string;
	charCount: number;
	minReadSeconds: number;
	problem: string | null;
}

/** The draft (or a version) rendered as a learner would see it. */
export interface RenderedModule {
	title: string;
	summary: string;
	introHtml: string;
	lessons: {
		key: string;
		title: string;
		kind: LessonKind;
		html: string;
		mediaId: number | null;
		minReadSeconds: number;
	}[];
	questionCount: number;
}

export interface TextDiffPart {
	value: string;
	added?: boolean;
	removed?: boolean;
}

/** A draft against the published version: changed fields, lessons and questions. */
export interface DocDiff {
	fields: { label: string; from: string; to: string }[];
	lessons: {
		key: string;
		title: string;
		change: 'added' | 'removed' | 'changed' | 'moved';
		text?: TextDiffPart[];
	}[];
	questions: {
		key: string;
		stem: string;
		change: 'added' | 'removed' | 'changed';
		details?: { label: string; from: string; to: string }[];
	}[];
}
