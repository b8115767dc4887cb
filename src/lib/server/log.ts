import pino from 'pino';

/** One JSON object per line on stdout; LOG_LEVEL=silent quiets it in tests. */
export const log = pino({
	level: process.env.LOG_LEVEL ?? 'info',
	base: undefined,
	timestamp: pino.stdTimeFunctions.isoTime
});
