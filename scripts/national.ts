// npm run national -- 山西=https://sx.example.cn=xxyd_… 河南=https://ha.example.cn=xxyd_… [--period month] [--out 文件.xlsx]
//
// The national view: reads each province instance's GET /api/figures with the token its sysadmin
// created (/admin/tokens), sums the counts per province and for the nation, recomputes the rates
// from the sums, prints the table and writes national-<date>.xlsx (汇总 and 各单位). Nothing is
// written when any province cannot be read: a national figure without a province would mislead.
import { resolve } from 'node:path';
import { aggregate } from '../src/lib/server/national/aggregate';
import { fetchFigures, parseSource, type Source } from '../src/lib/server/national/collect';
import { parseFigurePeriod } from '../src/lib/server/national/figures';
import { nationalWorkbook, textTable } from '../src/lib/server/national/workbook';
import { shanghaiDay } from '../src/lib/server/time';

const USAGE = `用法：npm run national -- 名称=地址=令牌 [名称=地址=令牌 …] [--period week|month|year|all] [--out 文件.xlsx]
例如：npm run national -- 山西=https://sx.example.cn=xxyd_… 河南=https://ha.example.cn=xxyd_…`;

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

const args = process.argv.slice(2);
let periodArg: string | null = null;
let out: string | null = null;
const sources: Source[] = [];
for (let i = 0; i < args.length; i++) {
	const arg = args[i]!;
	if (arg === '--help' || arg === '-h') {
		console.log(USAGE);
		process.exit(0);
	} else if (arg === '--period') periodArg = args[++i] ?? '';
	else if (arg.startsWith('--period=')) periodArg = arg.slice('--period='.length);
	else if (arg === '--out') out = args[++i] ?? '';
	else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
	else {
		try {
			sources.push(parseSource(arg));
		} catch (e) {
			fail(`${(e as Error).message}\n\n${USAGE}`);
		}
	}
}
if (sources.length === 0) fail(USAGE);
const labels = sources.map((s) => s.label);
const repeated = labels.find((l, i) => labels.indexOf(l) !== i);
if (repeated) fail(`“${repeated}”出现了两次：每个省份只能汇总一次`);
const period = parseFigurePeriod(periodArg);
if (!period) fail(`--period 只能是 week（本周）、month（本月）、year（本年）或 all（全部）\n\n${USAGE}`);
if (out === '') fail(`--out 后面请写上要生成的文件名，例如 --out 全国汇总.xlsx\n\n${USAGE}`);

const now = new Date();
const results = await Promise.allSettled(sources.map((s) => fetchFigures(s, period)));
const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
if (failures.length) fail(`未能读取全部省份，没有生成汇总：\n${failures.map((f) => `  ${f}`).join('\n')}`);
const provinces = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));

let national;
try {
	national = aggregate(provinces);
} catch (e) {
	fail((e as Error).message);
}
console.log(textTable(national));

const file = resolve(out ?? `national-${shanghaiDay(now)}.xlsx`);
await nationalWorkbook(national, provinces, now).xlsx.writeFile(file);
console.log(`\n已写入 ${file}`);
