/**
 * Words and numbers of the exam admin pages (试卷, 考试), shared by their pages and components;
 * safe in the browser. Times are Asia/Shanghai wall-clock times.
 */

export const EXAM_TYPE_LABELS: Record<string, string> = {
	single: '单选题',
	multiple: '多选题',
	truefalse: '判断题',
	fill: '填空题',
	essay: '简答题'
};

export const EXAM_TYPES = ['single', 'multiple', 'truefalse', 'fill', 'essay'] as const;

export const EXAM_DIFFICULTY_LABELS: Record<string, string> = { '1': '易', '2': '中', '3': '难' };

export const PHASE_LABELS: Record<string, string> = {
	scheduled: '未开始',
	open: '进行中',
	closed: '已结束，待公布',
	released: '已公布成绩',
	cancelled: '已取消'
};

/** The badge tone of a phase (app.css `.badge.ok` etc.). */
export const PHASE_TONES: Record<string, string> = {
	scheduled: '',
	open: 'ok',
	closed: 'warn',
	released: 'red',
	cancelled: 'off'
};

export const COUNTING_LABELS: Record<string, string> = {
	highest: '取最高分',
	last: '取最后一次',
	first: '取第一次'
};

export const FLAG_LABELS: Record<string, string> = {
	'too-easy': '太容易',
	'too-hard': '太难',
	'not-discriminating': '区分度低'
};

export const FLAG_EXPLANATIONS: Record<string, string> = {
	'too-easy': '超过 95% 的考生答对，区分不出掌握程度',
	'too-hard': '不到 20% 的考生答对，可能超纲或题意不清',
	'not-discriminating': '高分组和低分组答对的比例相差不到 0.1，答对与否和整体水平关系不大'
};

/** Points in half steps, without trailing zeros: 2 → '2', 2.5 → '2.5'. */
export function pointsLabel(points: number | null | undefined): string {
	if (points === null || points === undefined || Number.isNaN(points)) return '—';
	return String(Math.round(points * 10) / 10);
}

/** A share (0–1) as a whole percentage: 0.853 → '85%'. */
export function percentLabel(share: number | null | undefined): string {
	if (share === null || share === undefined || Number.isNaN(share)) return '—';
	return `${Math.round(share * 100)}%`;
}

/** A ratio to two decimals: 0.8532 → '0.85'. */
export function ratioLabel(value: number | null | undefined): string {
	if (value === null || value === undefined || Number.isNaN(value)) return '—';
	return value.toFixed(2);
}

const SHANGHAI_MS = 8 * 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a `datetime-local` value in Shanghai time: `YYYY-MM-DDTHH:mm`. */
export function shanghaiLocal(at: Date | string | number | null | undefined): string {
	if (at === null || at === undefined || at === '') return '';
	const d = new Date(new Date(at).getTime() + SHANGHAI_MS);
	if (Number.isNaN(d.getTime())) return '';
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** An exam's window as people read it: '11月22日 09:00 至 11:00' (the day once when it is one day). */
export function windowLabel(opensAt: Date, closesAt: Date): string {
	const a = shanghaiLocal(opensAt);
	const b = shanghaiLocal(closesAt);
	const day = (v: string) => `${v.slice(0, 4)}年${Number(v.slice(5, 7))}月${Number(v.slice(8, 10))}日`;
	const time = (v: string) => v.slice(11, 16);
	return a.slice(0, 10) === b.slice(0, 10)
		? `${day(a)} ${time(a)} 至 ${time(b)}`
		: `${day(a)} ${time(a)} 至 ${day(b)} ${time(b)}`;
}

/** A length in minutes: 90 → '90 分钟', 120 → '2 小时'. */
export function minutesLabel(minutes: number): string {
	return minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} 小时` : `${minutes} 分钟`;
}
