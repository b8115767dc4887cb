// 宣讲: the words of a refused talk form, shown beside its fields (and the edit page's own notices).
import { OUTREACH_LIMITS } from '../../outreach';

/** Member speakers of one talk (a form sending more is not a talk). */
export const MAX_SPEAKERS = 50;

export const TALK_NOT_FOUND = '没有找到这条宣讲记录，或您无权查看';
export const TALK_MESSAGES = {
	notMember: '只有单位的成员可以登记宣讲活动',
	office: '请选择您管理的单位',
	submittedReadOnly: '这条宣讲记录已提交，不能再修改；如需更正，请联系本单位管理员',
	noEdit: '您无权修改这条宣讲记录',
	dateFormat: '宣讲日期应为“年-月-日”，如 2026-03-01',
	dateInvalid: '宣讲日期不存在，请检查年、月、日',
	dateRequired: '请选择宣讲日期',
	dateEarly: '宣讲日期不能早于党的二十大召开（2022年10月16日）',
	dateLate: '宣讲日期不能晚于一周之后',
	time: '宣讲时间应为“时:分”，如 09:30',
	place: '请从本单位的宣讲地点中选择',
	placeRequired: '请选择宣讲地点，或新增一个地点',
	placeName: `地点名称不能超过 ${OUTREACH_LIMITS.placeName} 个字`,
	placeRetired: '本单位已有这个地点（已停用），请选择其他地点，或请管理员恢复它',
	township: `乡镇（街道）不能超过 ${OUTREACH_LIMITS.township} 个字`,
	placeKind: '请选择地点类型',
	speakers: '宣讲人须是本单位（含下级单位）的在职成员',
	speakersRequired: '请至少选择一位本单位的宣讲人',
	speakersMany: `宣讲人最多选择 ${MAX_SPEAKERS} 位`,
	otherSpeakers: `其他宣讲人不能超过 ${OUTREACH_LIMITS.otherSpeakers} 个字`,
	topics: '请从列表中选择宣讲主题',
	topicRequired: '请至少选择一个宣讲主题，或填写主题',
	topicText: `主题不能超过 ${OUTREACH_LIMITS.topicText} 个字`,
	audience: `受众人数应为 ${OUTREACH_LIMITS.audienceMin} 到 ${OUTREACH_LIMITS.audienceMax} 之间的整数`,
	audienceRequired: '请填写受众人数',
	format: '请选择宣讲形式',
	photos: `照片最多 ${OUTREACH_LIMITS.photos} 张`
} as const;
