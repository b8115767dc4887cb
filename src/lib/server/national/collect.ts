/**
 * Reading the provinces for the national view (scripts/national.ts): each source is a name, the
 * instance's address and a token its sysadmin created (/admin/tokens); each answer is checked
 * before it is summed. Every failure says which province and what to do, in Chinese.
 */
import type { PeriodKind } from '../points/periods';
import { parseFigures, type ProvinceFigures } from './aggregate';

export interface Source {
	label: string;
	url: string;
	token: string;
}

/**
 * `山西=https://sx.example.cn=xxyd_…`: the name before the first `=`, the token after the last,
 * the address in between (an address may hold `=` in its query; names and tokens do not).
 */
export function parseSource(arg: string): Source {
	const first = arg.indexOf('=');
	const last = arg.lastIndexOf('=');
	const usage = `“${arg}”的格式不对：应为 名称=地址=令牌，例如 山西=https://sx.example.cn=xxyd_…`;
	if (first <= 0 || last <= first) throw new Error(usage);
	const label = arg.slice(0, first).trim();
	const address = arg.slice(first + 1, last).trim();
	const token = arg.slice(last + 1).trim();
	if (!label || !token) throw new Error(usage);
	let url: URL;
	try {
		url = new URL(address);
	} catch {
		throw new Error(`${label}的地址“${address}”不是有效的网址（应以 http:// 或 https:// 开头）`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		throw new Error(`${label}的地址“${address}”不是有效的网址（应以 http:// 或 https:// 开头）`);
	return { label, url: url.origin + url.pathname.replace(/\/+$/, ''), token };
}

/** One province's figures for a period, read from its GET /api/figures. */
export async function fetchFigures(
	source: Source,
	period: PeriodKind,
	fetchImpl: typeof fetch = fetch,
	timeoutMs = 30_000
): Promise<ProvinceFigures> {
	const address = `${source.url}/api/figures?period=${period}`;
	let response: Response;
	try {
		response = await fetchImpl(address, {
			headers: { authorization: `Bearer ${source.token}`, accept: 'application/json' },
			redirect: 'error',
			signal: AbortSignal.timeout(timeoutMs)
		});
	} catch (e) {
		const reason =
			(e as Error).name === 'TimeoutError' ? `${timeoutMs / 1000} 秒内没有回应` : (e as Error).message;
		throw new Error(`${source.label}：无法读取 ${address}（${reason}）`);
	}
	const text = await response.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new Error(`${source.label}：${address} 回答的不是数据（状态 ${response.status}），请核对地址`);
	}
	if (!response.ok) {
		const message = (body as { message?: unknown })?.message;
		const said = typeof message === 'string' ? message : `状态 ${response.status}`;
		const hint = response.status === 401 ? '，请向该省系统管理员索取新的接口令牌' : '';
		throw new Error(`${source.label}：${said}${hint}`);
	}
	try {
		return { label: source.label, figures: parseFigures(body) };
	} catch (e) {
		throw new Error(`${source.label}：${(e as Error).message}`);
	}
}
