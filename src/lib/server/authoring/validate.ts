import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../db';
import { media, themes, type MediaKind } from '../db/schema';
import { markdownUrls, unsafeMarkdown } from '../content/render';
import { tifaProblems } from '../report/cite';
import { loadReport } from '../report/text';
import type { QuizDefaults } from '../content/pack';
import { parseWith, type FieldErrors, type Parsed } from '../validation';
import { ownsRow, type Owner } from './owner';
import { DEFAULT_QUIZ, type ModuleDoc } from './doc';
import type { Fields } from './types';

/*
 * The field rules of authored modules, each refusal in Chinese beside its field. Markdown (lesson
 * text, the module's introduction) is checked for what the sanitiser would strip silently —
 * scripts, event handlers, javascript:/data: links — and for media that is not the owner's.
 */

export const LIMITS = {
	title: 40,
	summary: 120,
	intro: 5_000,
	body: 50_000,
	stem: 500,
	option: 200,
	explanation: 1_000,
	sourceRef: 100,
	source: 60,
	comment: 500,
	lessons: 100,
	questions: 500
};

/** A required text field: `label` names it in the messages. */
export const requiredText = (label: string, max: number) =>
	z
		.string({ error: `请填写${label}` })
		.trim()
		.min(1, { error: `请填写${label}` })
		.max(max, { error: `${label}不能超过 ${max.toLocaleString('en-US')} 个字` });

const optionalText = (label: string, max: number) =>
	z
		.string({ error: `${label}须为文字` })
		.trim()
		.max(max, { error: `${label}不能超过 ${max.toLocaleString('en-US')} 个字` })
		.default('');

const wholeNumber = (label: string, min: number, max: number, unit = '') =>
	z.coerce
		.number({ error: `请填写${label}` })
		.int({ error: `${label}须为整数` })
		.min(min, { error: `${label}为 ${min}–${max}${unit}` })
		.max(max, { error: `${label}为 ${min}–${max}${unit}` });

const checkbox = z
	.string()
	.optional()
	.transform((v) => v === 'on' || v === 'true');

// ---------------------------------------------------------------- module fields

const moduleInput = z.object({
	title: requiredText('模块标题', LIMITS.title),
	themeId: z.coerce
		.number({ error: '请选择主题' })
		.int({ error: '请选择主题' })
		.positive({ error: '请选择主题' }),
	summary: requiredText('简介', LIMITS.summary),
	minutes: wholeNumber('预计学习时间', 1, 600, ' 分钟'),
	creditHours: z.coerce
		.number({ error: '请填写学时（0 表示不计学时）' })
		.min(0, { error: '学时为 0–20' })
		.max(20, { error: '学时为 0–20' })
		.refine((v) => Number.isInteger(v * 2), { error: '学时须为 0.5 的倍数' }),
	inCatalog: checkbox,
	intro: optionalText('模块介绍', LIMITS.intro)
});

const quizInput = z.object({
	draw: wholeNumber('每次抽题数', 1, 100, ' 题'),
	time_limit_minutes: wholeNumber('答题时限', 1, 180, ' 分钟'),
	pass_mark: wholeNumber('及格分', 1, 100),
	attempts: wholeNumber('可作答次数', 0, 100, ' 次（0 表示不限）'),
	shuffle_questions: checkbox,
	shuffle_options: checkbox,
	show_answers: checkbox
});

export type ModuleFields = Omit<ModuleDoc, 'lessons' | 'questions'>;

export const MODULE_LABELS: Record<keyof Omit<ModuleFields, 'quiz'>, string> &
	Record<keyof QuizDefaults, string> = {
	title: '模块标题',
	themeId: '主题',
	summary: '简介',
	minutes: '预计学习时间（分钟）',
	creditHours: '学时',
	inCatalog: '显示在学习目录',
	intro: '模块介绍',
	draw: '每次抽题数',
	time_limit_minutes: '答题时限（分钟）',
	pass_mark: '及格分',
	attempts: '可作答次数',
	shuffle_questions: '打乱题目顺序',
	shuffle_options: '打乱选项顺序',
	show_answers: '交卷后显示答案和解析'
};

/**
 * The module's own fields. The quiz group is read when the form carries it (`draw` present),
 * else kept (`quiz`: the draft's current settings, or the defaults for a new module). Office
 * modules are always in their offices' catalog; a school chooses.
 */
export function parseModuleFields(
	db: Queryable,
	owner: Owner,
	fields: Fields,
	quiz: QuizDefaults = DEFAULT_QUIZ
): Parsed<ModuleFields> {
	const parsed = parseWith(moduleInput, fields);
	const quizParsed = 'draw' in fields ? parseWith(quizInput, fields) : ({ ok: true, data: quiz } as const);
	const errors: FieldErrors = {
		...(parsed.ok ? {} : parsed.errors),
		...(quizParsed.ok ? {} : quizParsed.errors)
	};
	if (parsed.ok && !liveTheme(db, parsed.data.themeId)) errors.themeId = '所选主题不存在或已停用';
	if (parsed.ok) {
		const introProblem = markdownProblem(db, owner, parsed.data.intro, { media: false });
		if (introProblem) errors.intro = introProblem;
	}
	if (!parsed.ok || !quizParsed.ok || Object.keys(errors).length) return { ok: false, errors };
	const inCatalog = owner.kind === 'office' || parsed.data.inCatalog;
	return { ok: true, data: { ...parsed.data, inCatalog, quiz: quizParsed.data } };
}

export function liveTheme(db: Queryable, themeId: number): { id: number; name: string } | undefined {
	return db
		.select({ id: themes.id, name: themes.name })
		.from(themes)
		.where(and(eq(themes.id, themeId), isNull(themes.archivedAt)))
		.get();
}

// ---------------------------------------------------------------- Markdown and media

const MEDIA_REF = /^\/media\/(\d{1,15})(\?download=1)?$/;

/** The media ids Markdown refers to (`![…](/media/12)`, `[…](/media/13)`). */
export function mediaRefs(markdown: string): number[] {
	const ids = markdownUrls(markdown).flatMap(({ url }) => {
		const m = MEDIA_REF.exec(url.trim());
		return m ? [Number(m[1])] : [];
	});
	return [...new Set(ids)];
}

/** The kinds of the owner's media among these ids (media of anyone else is simply absent). */
export function ownerMediaKinds(db: Queryable, owner: Owner, ids: number[]): Map<number, MediaKind> {
	if (ids.length === 0) return new Map();
	const rows = db
		.select({
			id: media.id,
			kind: media.kind,
			ownerSchoolId: media.ownerSchoolId,
			ownerOfficeId: media.ownerOfficeId
		})
		.from(media)
		.where(inArray(media.id, ids))
		.all();
	return new Map(rows.filter((r) => ownsRow(owner, r)).map((r) => [r.id, r.kind]));
}

/**
 * Why this Markdown cannot be stored, or null: unsafe content, images not from the owner's
 * media (the sanitiser keeps `/media/<id>` images only), links to media of someone else.
 * `media: false` (the module's introduction): no media at all, since media are served to
 * the audience of the lessons that show them.
 */
export function markdownProblem(
	db: Queryable,
	owner: Owner,
	markdown: string,
	options: { media: boolean } = { media: true }
): string | null {
	const unsafe = unsafeMarkdown(markdown);
	if (unsafe) return unsafe;
	// The same check as the content sync: a 提法 of the report stands there verbatim.
	const quotation = tifaProblems(loadReport(), markdown)[0];
	if (quotation) return quotation;
	const urls = markdownUrls(markdown).map((u) => ({ ...u, url: u.url.trim() }));
	const refs = urls.filter((u) => u.image || u.url.startsWith('/media/'));
	if (refs.length && !options.media) return '模块介绍中不能插入图片或附件，请放在课时正文中';
	for (const ref of refs) {
		if (MEDIA_REF.test(ref.url)) continue;
		return ref.image ? `图片只能使用本单位上传的素材（${ref.url}）` : `素材地址有误：${ref.url}`;
	}
	const kinds = ownerMediaKinds(db, owner, mediaRefs(markdown));
	for (const ref of refs) {
		const id = Number(MEDIA_REF.exec(ref.url)![1]);
		const kind = kinds.get(id);
		if (!kind) return `素材 ${ref.url} 不存在或不是本单位的素材`;
		if (ref.image && kind !== 'image')
			return `素材 ${ref.url} 不是图片，请用附件链接 [说明](${ref.url}) 插入`;
	}
	return null;
}
