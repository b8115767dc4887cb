import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { moduleDrafts, themes, users } from '../db/schema';
import { auditActor, type AuditActor } from '../audit';
import {
	approveDraft,
	createDraft,
	saveLesson,
	saveQuestion,
	submitDraft,
	type Fields,
	type Result
} from '../authoring';

/*
 * Authored modules for the demo, written through the authoring API as admins would in the app:
 * - 中共吕梁市委党校: 《人大代表联络站工作实务》, written by 高志远 (dangxiao) and approved by the
 *   school's second admin (dangxiao2), then corrected and published again (v1, v2); and a draft
 *   not yet submitted (《基层立法联系点工作指引》).
 * - 离石区人大常委会: 《离石区人大代表履职学习读本》, whose single admin (lishi.admin) published it
 *   as self-approved (本单位只有一位管理员).
 * Runs once: skipped when any authored module exists.
 */

const SOURCE = {
	sourcePart: '六',
	sourceHeading: '发展全过程人民民主，保障人民当家作主',
	sourceSection: '（一）加强人民当家作主制度保障',
	sourceParagraph: '1'
};

const QUIZ: Fields = {
	draw: '5',
	time_limit_minutes: '10',
	pass_mark: '60',
	attempts: '0',
	shuffle_questions: 'on',
	shuffle_options: 'on',
	show_answers: 'on'
};

const LIAISON_STATION = `## 联络站是什么

人大代表联络站（点）是代表在闭会期间联系群众、开展履职活动的固定阵地。人代会会期很短，代表大量的履职活动在闭会期间，联络站让群众“找得到代表、说得上话”。

> [!提法] 第六部分 · （一）第1段
> 健全吸纳民意、汇集民智工作机制，建设好基层立法联系点。

## 怎样让联络站“活”起来

1. **定期进站**：每月固定接待日，在站内公示代表名单和接待时间。
2. **建立台账**：群众反映的意见逐件登记，写明办理单位和期限。
3. **件件有回音**：办理结果向反映人反馈，在站内公开。

联络站“建”只是开始，关键在“用”。接待群众、收集民意、开展调研，都要有制度、有记录、有反馈。`;

const VOTING = `## 民生实事项目人大代表票决制

这项制度把政府“端菜”变为代表和群众“点菜”，把群众的“需求清单”变成政府的“履职清单”。

它的主要环节与“五个民主”一一对应：

- 征集：面向群众和代表广泛征集候选项目——民主协商；
- 票决：在人民代表大会会议上由代表投票表决——民主决策；
- 实施：政府组织实施，群众参与——民主管理；
- 督办：代表跟踪监督项目进度和质量——民主监督。

年底由代表对项目完成情况进行测评，测评结果向社会公开。`;

/** Version 2 corrects the second lesson: the year-end 评议 is its own step. */
const VOTING_V2 = VOTING.replace(
	'年底由代表对项目完成情况进行测评，测评结果向社会公开。',
	'- 评议：年底由代表对项目完成情况进行满意度测评，测评结果向社会公开，并作为下一年度项目征集的参考。'
);

const QUESTIONS: Fields[] = [
	{
		type: 'single',
		stem: '人大代表联络站（点）主要为代表在什么时候联系群众提供固定阵地？',
		option0: '人代会闭会期间',
		option1: '人代会开会期间',
		option2: '换届选举期间',
		option3: '只在节假日',
		correct: '0',
		explanation: '人代会会期很短，代表大量的履职活动在闭会期间，联络站为闭会期间的履职提供固定阵地。',
		lessonKey: 'first',
		difficulty: '1'
	},
	{
		type: 'multiple',
		stem: '让联络站“活”起来，下列做法正确的有（　）。',
		option0: '每月固定接待日',
		option1: '群众意见逐件登记台账',
		option2: '办理结果向反映人反馈',
		option3: '只接待本选区的群众',
		correct: '0,1,2',
		explanation: '固定接待、登记台账、结果反馈都是让联络站发挥作用的做法；联络站不应把群众拒之门外。',
		lessonKey: 'first',
		difficulty: '2'
	},
	{
		type: 'truefalse',
		stem: '报告提出，要健全吸纳民意、汇集民智工作机制，建设好基层立法联系点。',
		truefalse: 'true',
		explanation: '这是报告第六部分第（一）小节第1段的原文。',
		lessonKey: 'first',
		difficulty: '1',
		sourceRef: '报告第六部分（一）第1段'
	},
	{
		type: 'fill',
		stem: '民生实事项目人大代表票决制把政府“端菜”变为代表和群众“____”。',
		blank0: '点菜',
		explanation: '票决制让代表和群众“点菜”，把群众的需求清单变成政府的履职清单。',
		lessonKey: 'second',
		difficulty: '1'
	},
	{
		type: 'single',
		stem: '在票决制中，由代表在人民代表大会会议上投票表决确定项目，对应“五个民主”中的哪一个？',
		option0: '民主决策',
		option1: '民主选举',
		option2: '民主管理',
		option3: '民主监督',
		correct: '0',
		explanation: '代表投票表决确定年度民生实事项目，是民主决策。',
		lessonKey: 'second',
		difficulty: '2'
	},
	{
		type: 'single',
		stem: '代表跟踪监督民生实事项目的进度和质量，对应“五个民主”中的哪一个？',
		option0: '民主监督',
		option1: '民主协商',
		option2: '民主决策',
		option3: '民主选举',
		correct: '0',
		explanation: '跟踪督办项目的进度和质量，是民主监督。',
		lessonKey: 'second',
		difficulty: '2'
	}
];

/** 简答 for exams (never drawn by the module quiz): the reference answer and its 采分点. */
const ESSAYS: Fields[] = [
	{
		type: 'essay',
		stem: '结合本地实际，简述怎样让人大代表联络站“活”起来。',
		reference:
			'一是定期进站，每月固定接待日，公示代表名单和接待时间；二是建立台账，群众意见逐件登记，写明办理单位和期限；三是件件有回音，办理结果向反映人反馈并在站内公开。',
		point0: '定期进站、固定接待日',
		points0: '4',
		point1: '建立台账、逐件登记',
		points1: '3',
		point2: '办理结果反馈、公开',
		points2: '3',
		maxLength: '500',
		lessonKey: 'first',
		difficulty: '2'
	},
	{
		type: 'essay',
		stem: '民生实事项目人大代表票决制是怎样体现全过程人民民主的？请简要说明。',
		reference:
			'票决制把政府“端菜”变为代表和群众“点菜”：项目从群众中征集（民主协商），由代表在人代会上投票确定（民主决策），实施中由代表跟踪监督（民主监督），把群众的需求清单变成政府的履职清单。',
		point0: '从“端菜”到“点菜”，群众需求变成政府履职清单',
		points0: '4',
		point1: '代表投票确定项目（民主决策）',
		points1: '3',
		point2: '代表跟踪监督实施（民主监督）',
		points2: '3',
		maxLength: '500',
		lessonKey: 'second',
		difficulty: '3'
	}
];

function actorOf(db: Db, username: string): AuditActor | undefined {
	const u = db.select().from(users).where(eq(users.username, username)).get();
	return u && auditActor(u);
}

/** The value of a step that must succeed (the demo's own content): a refusal is a bug here. */
function ok<T>(result: Result<T>, what: string): T {
	if (!result.ok) throw new Error(`authoring demo: ${what}: ${JSON.stringify(result.errors)}`);
	return result;
}

/** A text lesson of the demo, from the report's part six. */
const lesson = (title: string, body: string): Fields => ({ title, kind: 'text', body, ...SOURCE });

/**
 * A module written by `author`: the fields, then a lesson on the liaison stations and one on the
 * voting (titled as given) and the demo's questions. Returns the draft id and the lessons' keys.
 */
function writeModule(db: Db, author: AuditActor, fields: Fields, titles: [string, string]) {
	const id = ok(createDraft(db, author, { ...fields, ...QUIZ }), `create ${fields.title}`).id;
	const keys = {
		first: ok(saveLesson(db, author, id, null, lesson(titles[0], LIAISON_STATION)), titles[0]).key,
		second: ok(saveLesson(db, author, id, null, lesson(titles[1], VOTING)), titles[1]).key
	};
	QUESTIONS.forEach((q, i) => {
		const lessonKey = keys[q.lessonKey as keyof typeof keys];
		ok(saveQuestion(db, author, id, null, { ...q, lessonKey }), `${fields.title}: question ${i + 1}`);
	});
	return { id, keys };
}

/** Writes the demo's authored modules; returns how many modules were published. */
export function seedAuthoring(db: Db): number {
	if (db.select({ id: moduleDrafts.id }).from(moduleDrafts).limit(1).get()) return 0;
	const author = actorOf(db, 'dangxiao');
	const reviewer = actorOf(db, 'dangxiao2');
	const office = actorOf(db, 'lishi.admin');
	const theme = db
		.select({ id: themes.id })
		.from(themes)
		.where(eq(themes.slug, 'whole-process-democracy'))
		.get();
	if (!author || !reviewer || !office || !theme) return 0;
	const themeId = String(theme.id);

	// 中共吕梁市委党校: written, approved by the second admin, corrected, approved again.
	const station = writeModule(
		db,
		author,
		{
			title: '人大代表联络站工作实务',
			themeId,
			summary: '建好用好代表联络站（点），推行民生实事项目人大代表票决制，把全过程人民民主落到基层。',
			minutes: '20',
			creditHours: '1',
			inCatalog: 'on',
			intro: '本模块由市委党校编写，结合吕梁各县（市、区）人大代表联络站的做法，讲清联络站怎么建、怎么用。'
		},
		['建好用好代表联络站', '民生实事项目票决制']
	);
	ESSAYS.forEach((q, i) => {
		const lessonKey = station.keys[q.lessonKey as keyof typeof station.keys];
		ok(saveQuestion(db, author, station.id, null, { ...q, lessonKey }), `essay ${i + 1}`);
	});
	ok(submitDraft(db, author, station.id), 'submit v1');
	ok(approveDraft(db, reviewer, station.id, false), 'approve v1');
	ok(
		saveLesson(db, author, station.id, station.keys.second, lesson('民生实事项目票决制', VOTING_V2)),
		'correct lesson 2'
	);
	ok(submitDraft(db, author, station.id), 'submit v2');
	ok(approveDraft(db, reviewer, station.id, false), 'approve v2');

	// A draft still being written (one lesson, no questions yet).
	const draft = ok(
		createDraft(db, author, {
			title: '基层立法联系点工作指引',
			themeId,
			summary: '基层立法联系点怎样收集法律法规草案的意见，怎样把群众的声音带到立法机关。',
			minutes: '15',
			creditHours: '0',
			inCatalog: 'off',
			intro: '',
			...QUIZ
		}),
		'create the school draft'
	).id;
	ok(
		saveLesson(
			db,
			author,
			draft,
			null,
			lesson(
				'联系点的职责',
				'## 联系点做什么\n\n基层立法联系点把法律法规草案送到群众身边征求意见，再把意见原汁原味地报送立法机关。\n\n（本课时正在编写中）'
			)
		),
		'draft lesson'
	);

	// 离石区人大常委会: its single admin publishes, recorded as self-approved.
	const reader = writeModule(
		db,
		office,
		{
			title: '离石区人大代表履职学习读本',
			themeId,
			summary: '本单位学习材料：代表联络站接待和民生实事项目票决的工作要求。',
			minutes: '15',
			creditHours: '0',
			inCatalog: 'on',
			intro: '离石区人大常委会机关编印的学习读本（节选），供本单位及下级单位学习。'
		},
		['代表联络站接待要求', '票决制工作流程']
	);
	ok(submitDraft(db, office, reader.id), 'submit the office module');
	ok(approveDraft(db, office, reader.id, true), 'self-approve the office module');
	return 2;
}
