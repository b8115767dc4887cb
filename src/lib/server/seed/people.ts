/**
 * Fictional people for the demo data. Names are drawn from common surnames and
 * given names; the people named in the source newspaper report are excluded so
 * no demo cadre carries a real person's name from it.
 */
const SURNAMES = '王李张刘郭杨赵任武高白贾冯薛韩孙马霍郝梁田吴曹温乔闫成侯秦程段'.split('');
const GIVEN = [
	'建华',
	'晓燕',
	'志强',
	'丽娟',
	'海涛',
	'春梅',
	'国栋',
	'文静',
	'永胜',
	'红霞',
	'俊杰',
	'秀英',
	'宏伟',
	'彩云',
	'振华',
	'亚楠',
	'鹏飞',
	'慧敏',
	'晋生',
	'雅琴',
	'立新',
	'晓东',
	'玉兰',
	'少华',
	'子健',
	'婷',
	'磊',
	'静',
	'勇',
	'敏',
	'斌',
	'芳',
	'军',
	'燕',
	'浩',
	'洁',
	'凯',
	'琳',
	'涛',
	'蕾',
	'明远',
	'思源',
	'嘉怡',
	'瑞峰',
	'佳慧',
	'宇航'
];
/** Every name of a real person in the source report: no fictional person (cadre, speaker) is given one. */
export const REAL_NAMES_IN_SOURCE: ReadonlySet<string> = new Set([
	'刘振国',
	'石磊',
	'闫艳红',
	'王东平',
	'韩宇',
	'任玉梅',
	'康艳红',
	'白小勤',
	'权艳红',
	'李保云',
	'张伟伟',
	'李翠英',
	'梁英杰',
	'王瑞'
]);
export const TITLES = [
	'科员',
	'科员',
	'科员',
	'一级科员',
	'四级主任科员',
	'三级主任科员',
	'办公室副主任',
	'研究室科员',
	'代表工作委员会干部',
	'法制工作委员会干部',
	'财政经济工作委员会干部',
	'社会建设工作委员会干部',
	'人事代表工作室主任',
	'秘书科科长'
];

/** A small deterministic PRNG (mulberry32), so the demo data is the same on every machine. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function pick<T>(random: () => number, list: readonly T[]): T {
	return list[Math.floor(random() * list.length)] as T;
}

export function fictionalName(random: () => number): string {
	for (;;) {
		const name = pick(random, SURNAMES) + pick(random, GIVEN);
		if (!REAL_NAMES_IN_SOURCE.has(name)) return name;
	}
}
