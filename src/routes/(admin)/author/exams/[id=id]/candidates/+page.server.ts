import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { pageParam } from '$lib/server/paging';
import {
	assignableOffices,
	assignablePeople,
	assignExam,
	CANDIDATE_PAGE_SIZE,
	examAssignments,
	grantRetake,
	listCandidates,
	parseShanghaiLocal,
	withdrawExamAssignment
} from '$lib/server/exams';
import { EXAM_NOT_FOUND, examOf } from '../../exam.server';
import type { Actions, PageServerLoad } from './$types';

/** 考生名单: assign offices or people, withdraw, the candidates with paging and search, 补考 per person. */

export const load: PageServerLoad = (event) => {
	const { owner, exam } = examOf(event);
	const db = getDb();
	const url = event.url;
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, 30);
	const who = (url.searchParams.get('who') ?? '').trim().slice(0, 30);
	const page = pageParam(url.searchParams);
	const list = listCandidates(db, owner, exam.id, { page, ...(q ? { q } : {}) });
	if (!list) error(404, { message: EXAM_NOT_FOUND });
	return {
		exam: {
			id: exam.id,
			title: exam.title,
			phase: exam.phase,
			attemptsAllowed: exam.attemptsAllowed,
			durationMinutes: exam.durationMinutes
		},
		offices: assignableOffices(db, owner),
		people: who ? assignablePeople(db, owner, who) : [],
		assignments: examAssignments(db, exam.id),
		candidates: list.rows,
		total: list.total,
		page,
		pageSize: CANDIDATE_PAGE_SIZE,
		q,
		who
	};
};

const id = (value: FormDataEntryValue | null) =>
	typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value) : 0;
const text = (value: FormDataEntryValue | null) =>
	typeof value === 'string' ? value.trim().slice(0, 40) : '';

export const actions: Actions = {
	assignOffice: async (event) => {
		const { owner, exam } = examOf(event);
		const form = await event.request.formData();
		const officeId = id(form.get('officeId'));
		const includeDescendants = form.get('includeDescendants') === 'on';
		const values = {
			officeId: text(form.get('officeId')),
			includeDescendants: includeDescendants ? 'on' : ''
		};
		if (!officeId) return refuse(400, { officeId: '请选择单位' }, values);
		const result = assignExam(getDb(), actorOf(event), owner, exam.id, { officeId, includeDescendants });
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: `已布置，${result.value.enrolled} 人新加入考生名单，并收到考试通知` };
	},
	assignPerson: async (event) => {
		const { owner, exam } = examOf(event);
		const userId = id((await event.request.formData()).get('userId'));
		if (!userId) return refuse(400, { userId: '请先搜索并选择学员' }, { userId: '' });
		const result = assignExam(getDb(), actorOf(event), owner, exam.id, { userId });
		if (!result.ok) return refuse(400, result.errors, { userId: String(userId) });
		return {
			notice: result.value.enrolled
				? '已布置，这位学员已加入考生名单并收到考试通知'
				: '这位学员已在考生名单中'
		};
	},
	withdraw: async (event) => {
		const { owner, exam } = examOf(event);
		const assignmentId = id((await event.request.formData()).get('assignmentId'));
		if (!assignmentId) return refuse(400, '没有找到这项布置，或它已撤回');
		const result = withdrawExamAssignment(getDb(), actorOf(event), owner, exam.id, assignmentId);
		if (!result.ok) return refuse(400, result.errors);
		return { notice: '已撤回。不再被任何布置覆盖的考生移出名单，已有的答卷保留。' };
	},
	retake: async (event) => {
		const { owner, exam } = examOf(event);
		const form = await event.request.formData();
		const values = {
			userId: text(form.get('userId')),
			extraAttempts: text(form.get('extraAttempts')),
			opensAt: text(form.get('opensAt')),
			closesAt: text(form.get('closesAt'))
		};
		const userId = id(form.get('userId'));
		if (!userId) return refuse(400, '这名学员不在考生名单中', values);
		const extra =
			values.extraAttempts === ''
				? 0
				: /^\d{1,3}$/.test(values.extraAttempts)
					? Number(values.extraAttempts)
					: NaN;
		const result = grantRetake(getDb(), actorOf(event), owner, exam.id, userId, {
			extraAttempts: extra,
			opensAt: values.opensAt ? parseShanghaiLocal(values.opensAt) : null,
			closesAt: values.closesAt ? parseShanghaiLocal(values.closesAt) : null
		});
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '已安排补考，考生已收到通知' };
	}
};
