import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import type { Owner } from '$lib/server/authoring';
import { EXAM_NOT_FOUND, getExam } from '$lib/server/exams';
import type { ExamDetail } from '$lib/server/exams/types';
import { shanghaiLocal } from '$lib/exam-admin';
import { ownerOf } from '../author.server';

/** Shared by the exam pages of 内容编写: the exam of the page, the exam form ↔ ExamSettings. */

export { EXAM_NOT_FOUND };

/** The exam of the page (`[id=id]`) if it is the admin's owner's, else the one 404 for missing and out of scope. */
export function examOf(event: { locals: App.Locals; params: { id: string } }): {
	owner: Owner;
	exam: ExamDetail;
} {
	const owner = ownerOf(event.locals);
	const exam = getExam(getDb(), owner, Number(event.params.id));
	if (!exam) error(404, { message: EXAM_NOT_FOUND });
	return { owner, exam };
}

/** The exam form as typed (strings; graders as ids). */
export interface ExamFormValues {
	title: string;
	instructions: string;
	paperId: string;
	opensAt: string;
	closesAt: string;
	durationMinutes: string;
	attemptsAllowed: string;
	counting: string;
	showReview: string;
	secondGrading: string;
	gradingMargin: string;
	releaseAt: string;
	courseId: string;
	creditHours: string;
	graderIds: string[];
}

const text = (form: FormData, name: string, max = 2000) => {
	const v = form.get(name);
	return typeof v === 'string' ? v.trim().slice(0, max) : '';
};

export function readExamForm(form: FormData): ExamFormValues {
	return {
		title: text(form, 'title', 200),
		instructions: text(form, 'instructions', 5000),
		paperId: text(form, 'paperId', 12),
		opensAt: text(form, 'opensAt', 40),
		closesAt: text(form, 'closesAt', 40),
		durationMinutes: text(form, 'durationMinutes', 12),
		attemptsAllowed: text(form, 'attemptsAllowed', 12),
		counting: text(form, 'counting', 12),
		showReview: form.get('showReview') === 'on' ? 'on' : '',
		secondGrading: form.get('secondGrading') === 'on' ? 'on' : '',
		gradingMargin: text(form, 'gradingMargin', 12),
		releaseAt: text(form, 'releaseAt', 40),
		courseId: text(form, 'courseId', 12),
		creditHours: text(form, 'creditHours', 12),
		graderIds: form
			.getAll('graderIds')
			.filter((v): v is string => typeof v === 'string' && /^\d{1,9}$/.test(v))
			.slice(0, 100)
	};
}

/** A new exam's form: tomorrow 09:00–11:00, 90 minutes, one attempt, the highest counts. */
export function newExamValues(now: Date, paperId: string): ExamFormValues {
	const day = shanghaiLocal(new Date(now.getTime() + 86_400_000)).slice(0, 10);
	return {
		title: '',
		instructions: '',
		paperId,
		opensAt: `${day}T09:00`,
		closesAt: `${day}T11:00`,
		durationMinutes: '90',
		attemptsAllowed: '1',
		counting: 'highest',
		showReview: 'on',
		secondGrading: '',
		gradingMargin: '2',
		releaseAt: '',
		courseId: '',
		creditHours: '0',
		graderIds: []
	};
}

/** The form's values of a saved exam. */
export function examValues(exam: ExamDetail): ExamFormValues {
	return {
		title: exam.title,
		instructions: exam.instructions,
		paperId: String(exam.paperId),
		opensAt: shanghaiLocal(exam.opensAt),
		closesAt: shanghaiLocal(exam.closesAt),
		durationMinutes: String(exam.durationMinutes),
		attemptsAllowed: String(exam.attemptsAllowed),
		counting: exam.counting,
		showReview: exam.showReview ? 'on' : '',
		secondGrading: exam.secondGrading ? 'on' : '',
		gradingMargin: String(exam.gradingMargin),
		releaseAt: exam.releaseAt ? shanghaiLocal(exam.releaseAt) : '',
		courseId: exam.courseId === null ? '' : String(exam.courseId),
		creditHours: String(exam.creditHours),
		graderIds: exam.graderIds.map(String)
	};
}
