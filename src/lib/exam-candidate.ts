/**
 * What the candidate's exam pages show, shared by server and browser (no server imports): the
 * labels of a candidate's state, question types and counting rules, points and windows as text.
 */
import { dateLabel, dateTimeLabel } from './format';

export type CandidateStateName = 'upcoming' | 'open' | 'running' | 'pending' | 'released' | 'missed' | 'used';

export const CANDIDATE_STATE: Record<CandidateStateName, { label: string; badge: string }> = {
	running: { label: '作答中', badge: 'red' },
	open: { label: '可以参加', badge: 'red' },
	upcoming: { label: '未开始', badge: 'off' },
	pending: { label: '已交卷，待公布', badge: 'warn' },
	released: { label: '成绩已公布', badge: 'ok' },
	missed: { label: '未参加', badge: 'off' },
	used: { label: '次数已用完', badge: 'off' }
};

export const EXAM_TYPE_LABELS = {
	single: '单选题',
	multiple: '多选题',
	truefalse: '判断题',
	fill: '填空题',
	essay: '简答题'
} as const;

export const COUNTING_LABELS = {
	highest: '多次作答取最高分',
	last: '多次作答取最后一次',
	first: '多次作答取第一次'
} as const;

/** Points in half-point steps without trailing zeros: 12 → '12', 7.5 → '7.5'. */
export function pointsLabel(points: number): string {
	return String(Math.round(points * 2) / 2);
}

const timeOnly = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Asia/Shanghai',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

/** A window in Shanghai time: '2026年11月22日 09:00–11:00', or both dates when it spans days. */
export function windowLabel(opensAt: Date, closesAt: Date): string {
	return dateLabel(opensAt) === dateLabel(closesAt)
		? `${dateTimeLabel(opensAt)}–${timeOnly.format(closesAt)}`
		: `${dateTimeLabel(opensAt)} 至 ${dateTimeLabel(closesAt)}`;
}

/** A duration in minutes as people say it: 90 → '90 分钟', 120 → '2 小时'. */
export function durationLabel(minutes: number): string {
	return minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} 小时` : `${minutes} 分钟`;
}

/** '第一部分' … for section headings (up to 99 sections). */
export function sectionNumber(index: number): string {
	const digits = '零一二三四五六七八九';
	const n = index + 1;
	if (n < 10) return `第${digits[n]}部分`;
	const tens = Math.floor(n / 10);
	const ones = n % 10;
	return `第${tens === 1 ? '' : digits[tens]}十${ones ? digits[ones] : ''}部分`;
}

/** What a card of an exam list shows (the rules and the paper are on the exam's own page). */
export interface ExamCard {
	id: number;
	title: string;
	state: CandidateStateName;
	opensAt: Date;
	closesAt: Date;
	durationMinutes: number;
	totalPoints: number;
	attemptsAllowed: number;
	attemptsUsed: number;
	result: { score: number; passed: boolean } | null;
}

/** The card of a candidate's exam (of `myExams`), without what the list does not show. */
export function examCard(e: ExamCard): ExamCard {
	return {
		id: e.id,
		title: e.title,
		state: e.state,
		opensAt: e.opensAt,
		closesAt: e.closesAt,
		durationMinutes: e.durationMinutes,
		totalPoints: e.totalPoints,
		attemptsAllowed: e.attemptsAllowed,
		attemptsUsed: e.attemptsUsed,
		result: e.result && { score: e.result.score, passed: e.result.passed }
	};
}
