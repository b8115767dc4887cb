import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import {
	discardImport,
	FORMAT_CHOICES,
	FORMAT_EXAMPLES,
	FORMAT_LABELS,
	IMPORT_LIMITS,
	IMPORT_NOT_FOUND,
	stageImport,
	type FormatChoice,
	type ImportInput
} from '$lib/server/question-bank';
import { draftOf } from '../../../author.server';
import { draftSummary, lessonChoices } from '../question.server';
import type { Actions, PageServerLoad } from './$types';

const MAX_MB = IMPORT_LIMITS.fileBytes / 1024 / 1024;
const TOO_LARGE = `文件不能超过 ${MAX_MB} MB：请删去多余的内容，或分成几个文件导入`;
// The form's own fields and multipart boundaries around the file.
const FORM_OVERHEAD = 64 * 1024;

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	return {
		draft: draftSummary(draft),
		lessons: lessonChoices(draft),
		formats: [
			{ value: 'auto', label: '自动识别' },
			...Object.entries(FORMAT_LABELS).map(([value, label]) => ({ value, label }))
		],
		examples: FORMAT_EXAMPLES,
		maxMb: MAX_MB,
		discarded: event.url.searchParams.has('discarded')
	};
};

const isChoice = (v: string): v is FormatChoice => (FORMAT_CHOICES as readonly string[]).includes(v);

export const actions: Actions = {
	/** 上传并预览: the file or the pasted text is read, checked and staged for the preview. */
	stage: async (event) => {
		const draft = draftOf(event);
		// Refused from its declared length, before any of it is read.
		if (Number(event.request.headers.get('content-length')) > IMPORT_LIMITS.fileBytes + FORM_OVERHEAD)
			return refuse(413, { file: TOO_LARGE });
		let form: FormData;
		try {
			form = await event.request.formData();
		} catch (e) {
			// The body limit stopped the upload part-way, or the form was malformed.
			const status = (e as { status?: number }).status;
			return refuse(400, {
				file: status === 413 ? TOO_LARGE : '上传没有完成：请重新选择文件后再试'
			});
		}
		const text = String(form.get('text') ?? '');
		const format = String(form.get('format') ?? '').trim() || 'auto';
		const lessonKey = String(form.get('lessonKey') ?? '').trim();
		const values = { text, format, lessonKey };
		if (!isChoice(format)) return refuse(400, { format: '请选择文件格式' }, values);
		const file = form.get('file');
		const hasFile = file instanceof File && file.size > 0 && file.name !== '';
		if (hasFile && text.trim())
			return refuse(400, { text: '已选择了文件：一次只导入一个来源，请清空粘贴框或不选文件' }, values);
		if (!hasFile && !text.trim())
			return refuse(400, { file: '请选择要导入的文件，或在下面粘贴题目文字' }, values);
		if (hasFile && file.size > IMPORT_LIMITS.fileBytes) return refuse(413, { file: TOO_LARGE }, values);
		const input: ImportInput = hasFile
			? { kind: 'file', fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }
			: { kind: 'text', text };
		const result = await stageImport(getDb(), actorOf(event), draft.id, input, { format, lessonKey });
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/author/${draft.id}/questions/import/${result.token}`);
	},

	/** 放弃 on the preview page: the staged import is removed (nothing else was ever written). */
	discard: async (event) => {
		const draft = draftOf(event);
		const token = String((await event.request.formData()).get('token') ?? '');
		if (!discardImport(getDb(), actorOf(event), draft.id, token)) return refuse(404, IMPORT_NOT_FOUND);
		redirect(303, `/author/${draft.id}/questions/import?discarded`);
	}
};
