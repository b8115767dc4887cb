/** Display helpers shared by pages and components (safe on server and client; Asia/Shanghai). */

const TIME_ZONE = 'Asia/Shanghai';

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** A date's UTC calendar day as YYYY-MM-DD (several times cheaper than toISOString; charts format a day per bar). */
export function isoDay(at: Date): string {
	return `${at.getUTCFullYear()}-${pad2(at.getUTCMonth() + 1)}-${pad2(at.getUTCDate())}`;
}

/** A YYYY-MM-DD day as a Date at its UTC midnight, `n` days on (calendar arithmetic, no time zone). */
function utcDay(day: string, n = 0): Date {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d + n));
}

/** The calendar day `n` days after a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
	return isoDay(utcDay(day, n));
}

/** `count` consecutive calendar days from `first` on, oldest first. */
export function daysFrom(first: string, count: number): string[] {
	const at = utcDay(first);
	const days: string[] = [];
	for (let i = 0; i < count; i++, at.setUTCDate(at.getUTCDate() + 1)) days.push(isoDay(at));
	return days;
}

/** '2026-11-22' → '2026年11月22日' (a Shanghai calendar day, stored as text). */
export function dayLabel(day: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : day;
}

const dateFormat = new Intl.DateTimeFormat('zh-CN', {
	timeZone: TIME_ZONE,
	year: 'numeric',
	month: 'long',
	day: 'numeric'
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
	timeZone: TIME_ZONE,
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

/** An instant as its Shanghai date: '2026年11月22日'. */
export function dateLabel(at: Date): string {
	return dateFormat.format(at);
}

/** An instant as Shanghai date and time: '2026年11月22日 09:05'. */
export function dateTimeLabel(at: Date): string {
	return `${dateFormat.format(at)} ${timeFormat.format(at)}`;
}

/** 学时 without trailing zeros: 12 → '12', 7.5 → '7.5'. */
export function hoursLabel(hours: number): string {
	return String(Math.round(hours * 10) / 10);
}

/** A length of audio or video as a player shows it: 12:34, or 1:02:03 past an hour. */
export function clockLabel(seconds: number): string {
	const s = Math.max(0, Math.floor(seconds));
	const two = (n: number) => String(n).padStart(2, '0');
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

/** The deadline line of a task: 还剩 N 天 / 今天截止 / 已逾期 N 天. */
export function dueText(
	status: 'not-started' | 'in-progress' | 'done' | 'overdue',
	daysLeft: number
): string {
	if (status === 'done') return '已完成';
	if (status === 'overdue' || daysLeft < 0) return `已逾期 ${Math.max(1, -daysLeft)} 天`;
	if (daysLeft === 0) return '今天截止';
	return `还剩 ${daysLeft} 天`;
}
