/** Calendar logic in Asia/Shanghai (UTC+8 all year, no daylight saving). */
import { isoDay } from '../format';

export const TIME_ZONE = 'Asia/Shanghai';

// Shanghai has kept UTC+8 without daylight saving since 1991, so plain arithmetic gives its
// calendar; it is ~20× cheaper than Intl.DateTimeFormat, and every board and award asks.
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The Shanghai calendar day of an instant, as YYYY-MM-DD. */
export function shanghaiDay(at: Date): string {
	return isoDay(new Date(at.getTime() + SHANGHAI_OFFSET_MS));
}

export function shanghaiHour(at: Date): number {
	return new Date(at.getTime() + SHANGHAI_OFFSET_MS).getUTCHours();
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

/** The instant a Shanghai calendar day (YYYY-MM-DD) begins. */
export function shanghaiMidnight(day: string): Date {
	const [y, m, d] = day.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS);
}
