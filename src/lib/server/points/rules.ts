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
	},
	daily_practice: {
		label: '每日一练',
		points: 1,
		dailyCap: 5,
		description: '每日一练每答对一题得 1 分，每天一次，最多 5 分。'
	},
	quiz_first_pass: {
		label: '模块测验首次及格',
		points: 5,
		dailyCap: null,
		description: '某个模块的测验第一次达到及格线时得 5 分，每个模块只计一次。'
	},
	reflection: {
		label: '提交心得体会',
		points: 3,
		dailyCap: 3,
		description: '提交一篇 300 字以上的心得体会得 3 分，每篇只计一次，每天最多 3 分。'
	},
	live_quiz: {
		label: '现场答题',
		points: 1,
		dailyCap: 10,
		description: '集中学习现场答题每答对一题得 1 分，每天最多 10 分。'
	},
	quiz_perfect: {
		label: '模块测验满分',
		points: 2,
		dailyCap: null,
		description: '某个模块的测验第一次得满分时再加 2 分，每个模块只计一次。'
	},
	report_read: {
		label: '阅读报告原文',
		points: 2,
		dailyCap: 6,
		description:
			'在“读原文”中阅读党的二十大报告的一个部分（开篇、第一至第十五部分或结束语），达到该部分的最短阅读时间后点击“读完本部分”得 2 分。每个部分只计一次，每天最多 6 分。'
	},
	outreach_talk: {
		label: '宣讲活动',
		points: 3,
		dailyCap: 6,
		description:
			'到代表联络站、驻村包联点或社区宣讲党的二十大精神，宣讲记录提交后，登记的每位宣讲人得 3 分。每场宣讲每人只计一次，每天最多 6 分。'
	}
} as const satisfies Record<string, PointRule>;

export type RuleKey = keyof typeof POINT_RULES;
