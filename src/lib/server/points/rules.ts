/**
 * Every way to earn points, in one place. The 积分规则 page shows this list;
 * a ledger row names its rule by key.
 */
export interface PointRule {
	label: string;
	points: number;
	/** Most points this rule can give one person in one Asia/Shanghai calendar day; null = no daily cap. */
	dailyCap: number | null;
	description: string;
}

export const POINT_RULES = {
	lesson_complete: {
		label: '完成一节课程',
		points: 1,
		dailyCap: 6,
		description: '阅读一节课程达到最短阅读时间后点击“完成本节”。每节只计一次，每天最多 6 分。'
	}
} as const satisfies Record<string, PointRule>;

export type RuleKey = keyof typeof POINT_RULES;
