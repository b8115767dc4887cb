import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { bearerToken, verifyToken } from '$lib/server/national/tokens';
import { instanceFigures, parseFigurePeriod } from '$lib/server/national/figures';
import type { RequestHandler } from './$types';

/**
 * GET /api/figures?period=week|month|year|all — this instance's participation figures per office
 * (counts; national/figures.ts), for the national view. No session: only a token the sysadmin
 * created at /admin/tokens, sent as `Authorization: Bearer <token>`. Read-only; never cached.
 */
const NO_STORE = { 'cache-control': 'no-store' };

function unauthorised(message: string): Response {
	return json(
		{ message },
		{ status: 401, headers: { ...NO_STORE, 'www-authenticate': 'Bearer realm="xuexi", charset="UTF-8"' } }
	);
}

export const GET: RequestHandler = ({ request, url }) => {
	const db = getDb();
	const header = request.headers.get('authorization');
	const token = bearerToken(header);
	if (!token)
		return unauthorised(
			'缺少接口令牌：请在请求头 Authorization 中以“Bearer 令牌”的形式附上系统管理员创建的令牌'
		);
	if (!verifyToken(db, token))
		return unauthorised('接口令牌无效或已被吊销，请向本省系统管理员索取有效的令牌');
	const period = parseFigurePeriod(url.searchParams.get('period'));
	if (!period)
		return json(
			{ message: '统计周期 period 只能是 week（本周）、month（本月）、year（本年）或 all（全部）' },
			{ status: 400, headers: NO_STORE }
		);
	return json(instanceFigures(db, period), { headers: NO_STORE });
};
