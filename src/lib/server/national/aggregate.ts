/**
 * The national view: the figures of several province instances (GET /api/figures of each, read
 * by scripts/national.ts) summed per province and for the nation. No database and no join across
 * databases: each province sends counts per office, which add up; the rates are recomputed from
 * the summed counts (never averaged), so a large province weighs as much as its members.
 */
import { z } from 'zod';
import type { PeriodKind } from '../points/periods';
import { FIGURE_PERIODS, type InstanceFigures } from './figures';

export interface Counts {
	members: number;
	participants: number;
	points: number;
	coursesDue: number;
	coursesOnTime: number;
}

export interface Rates {
	/** 参学率: participants / members, percent with one decimal; null without members. */
	participation: number | null;
	/** 人均积分: points / members, one decimal; null without members. */
	perCapita: number | null;
	/** 按期完成率: coursesOnTime / coursesDue, percent with one decimal; null when nothing was due. */
	onTime: number | null;
}

/** One line of the national table: a province (or the nation) with its summed counts and rates. */
export interface AggregateRow extends Counts, Rates {
	/** The name the province was given on the command line (山西), or 全国. */
	label: string;
	/** The province instance's root office (山西省人大常委会); '' for the nation. */
	instance: string;
	offices: number;
}

/** One province's answer, under the name it was given. */
export interface ProvinceFigures {
	label: string;
	figures: InstanceFigures;
}

export interface NationalFigures {
	period: PeriodKind;
	from: string | null;
	to: string | null;
	provinces: AggregateRow[];
	national: AggregateRow;
	/** Things the reader should know (provinces read for different days), in Chinese. */
	warnings: string[];
}

const COUNT_KEYS = ['members', 'participants', 'points', 'coursesDue', 'coursesOnTime'] as const;

const one = (numerator: number, denominator: number, scale: number): number | null =>
	denominator > 0 ? Math.round((numerator / denominator) * scale * 10) / 10 : null;

/** The rates of summed counts. */
export function rates(c: Counts): Rates {
	return {
		participation: one(c.participants, c.members, 100),
		perCapita: one(c.points, c.members, 1),
		onTime: one(c.coursesOnTime, c.coursesDue, 100)
	};
}

/** The counts of several offices (or provinces) added up. */
export function sumCounts(rows: readonly Counts[]): Counts {
	const total: Counts = { members: 0, participants: 0, points: 0, coursesDue: 0, coursesOnTime: 0 };
	for (const row of rows) for (const key of COUNT_KEYS) total[key] += row[key];
	return total;
}

function row(label: string, instance: string, offices: number, counts: Counts): AggregateRow {
	return { label, instance, offices, ...counts, ...rates(counts) };
}

/** Provinces summed: one row each, and the nation from the same counts. */
export function aggregate(provinces: readonly ProvinceFigures[]): NationalFigures {
	if (provinces.length === 0) throw new Error('没有省份的数据可以汇总');
	const first = provinces[0]!.figures;
	const warnings: string[] = [];
	for (const p of provinces) {
		if (p.figures.period !== first.period)
			throw new Error(
				`${p.label}的统计周期（${p.figures.period}）与${provinces[0]!.label}（${first.period}）不同，不能汇总`
			);
		if (p.figures.from !== first.from || p.figures.to !== first.to)
			warnings.push(
				`${p.label}的统计区间（${p.figures.from ?? '全部'} 至 ${p.figures.to ?? '全部'}）与${provinces[0]!.label}不同：读取时跨过了周期的交界，请稍后重新汇总`
			);
	}
	const rows = provinces.map((p) =>
		row(p.label, p.figures.instance, p.figures.offices.length, sumCounts(p.figures.offices))
	);
	const national = row(
		'全国',
		'',
		rows.reduce((n, r) => n + r.offices, 0),
		sumCounts(rows)
	);
	return { period: first.period, from: first.from, to: first.to, provinces: rows, national, warnings };
}

// ---------------------------------------------------------------------------------------------
// Reading another instance's answer: checked, since it comes over the network.

const count = z.number().int().nonnegative();
const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.nullable();

const figuresSchema = z.object({
	instance: z.string(),
	period: z.enum(FIGURE_PERIODS as [PeriodKind, ...PeriodKind[]]),
	from: day,
	to: day,
	generatedAt: z.string(),
	offices: z.array(
		z.object({
			code: z.string(),
			name: z.string(),
			parentCode: z.string().nullable(),
			members: count,
			participants: count,
			points: count,
			coursesDue: count,
			coursesOnTime: count
		})
	)
});

/** The JSON of GET /api/figures as InstanceFigures, or a Chinese error naming what is wrong. */
export function parseFigures(json: unknown): InstanceFigures {
	const parsed = figuresSchema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0]!;
		throw new Error(`返回的数据格式不对（${issue.path.join('.') || '整体'}）`);
	}
	return parsed.data;
}
