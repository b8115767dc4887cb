/** Calendar logic in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export const TIME_ZONE = 'Asia/Shanghai';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
	timeZone: TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});
const hourFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', hourCycle: 'h23' });

/** The Shanghai calendar day of an instant, as YYYY-MM-DD. */
export function shanghaiDay(at: Date): string {
	return dayFormat.format(at);
}

export function shanghaiHour(at: Date): number {
	return Number(hourFormat.format(at));
}

export function greeting(at: Date): string {
	const h = shanghaiHour(at);
	if (h < 5) return '夜深了';
	if (h < 9) return '早上好';
	if (h < 12) return '上午好';
	if (h < 14) return '中午好';
	if (h < 18) return '下午好';
	return '晚上好';
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The instant a Shanghai calendar day (YYYY-MM-DD) begins. */
export function shanghaiMidnight(day: string): Date {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS);
}
