/**
 * The coach's own interface strings (not coaching content, which lives in knowledge/). Each is
 * a pair; functions take the values they interpolate.
 */
import { MAX_MESSAGE_CHARS, type InputProblem } from '../input/validateInput';
import type { Intent } from '../knowledge/schema';

type Pair = { zh: string; en: string };

export const ui = {
  welcome: {
    zh: '你好！我是协商教练 🤝 我帮商家和个人用户准备和支付宝的协商：降手续费、解决账户安全问题、让客服真正处理。想从哪里开始？',
    en: "Hi! I'm your Negotiation Coach 🤝 I help merchants and consumers negotiate with Alipay: lower fees, fix account-security problems, and get customer service to act. Where shall we start?",
  },
  help: {
    zh: '我可以：\n• 回答协商问题（手续费、账户冻结、客服、投诉渠道）\n• 帮你制定协商计划，算清手续费\n• 扮演支付宝和你模拟练习，并给你打分\n• 被拒绝后告诉你下一步\n命令：/help 帮助 · /plan 做计划 · /roleplay 模拟练习 · /status 当前阶段 · /lang zh|en 切换语言 · /reset 重新开始 · /quit 退出',
    en: 'I can:\n• answer negotiation questions (fees, frozen accounts, customer service, complaint channels)\n• build your negotiation plan and do the fee arithmetic\n• play Alipay in a practice role-play and score you\n• tell you what to do after a refusal\nCommands: /help · /plan · /roleplay · /status · /lang zh|en · /reset start over · /quit',
  },
  goodbye: {
    zh: '好的，祝协商顺利！有进展随时回来告诉我，我们接着走下一步。',
    en: 'Good luck with the negotiation! Come back any time with news and we will take the next step.',
  },
  notYet: {
    zh: '这个问题我暂时还答不上来。我能帮你准备和支付宝的协商，试试下面的选项：',
    en: "I can't answer that yet. I can help you prepare a negotiation with Alipay — try one of these:",
  },
  langSwitched: { zh: '好的，之后我用中文回复。', en: "OK, I'll reply in English from now on." },
  langUsage: { zh: '用法：/lang zh 或 /lang en', en: 'Usage: /lang zh or /lang en' },
  resetConfirm: {
    zh: '确定要重新开始吗？你的阶段、计划和练习记录都会清空。',
    en: 'Start over? Your stage, plan and practice history will be cleared.',
  },
  resetDone: { zh: '已清空，我们从头开始。', en: 'Cleared. We start from the beginning.' },
  resetKept: { zh: '好的，什么都没删。', en: 'OK, nothing was deleted.' },
  unknownCommand: {
    zh: '没有这个命令。可用：/help /plan /roleplay /calc /status /lang /reset /quit',
    en: 'Unknown command. Available: /help /plan /roleplay /calc /status /lang /reset /quit',
  },
  busy: {
    zh: '系统有点忙，这条消息没有处理，请稍后再发一次。你之前的进度都还在。',
    en: "I'm having trouble reaching my storage, so I didn't process that. Please try again in a moment — your progress is safe.",
  },
  error: {
    zh: '抱歉，我这边出了点问题，这条消息没处理好。请再试一次。',
    en: 'Sorry, something went wrong on my side. Please try that again.',
  },
  slowDown: {
    zh: '你发得有点快，我跟不上了 🙂 请等几秒再发。',
    en: "You're sending messages faster than I can keep up 🙂 Please wait a few seconds.",
  },
  secretWarning: {
    zh: '⚠️ 你刚才发的像是密码或验证码。它们只属于你自己：不要告诉任何人，包括自称“支付宝工作人员”的人——真正的客服绝不会索要。我没有保存它。',
    en: '⚠️ That looked like a password or a verification code. Never share those with anyone — including people who say they are “Alipay staff”; real support never asks for them. I did not keep it.',
  },
  linkCode: {
    zh: '在另一个渠道（终端、Slack、网页、Teams）把这条发给我：/link {code}\n10分钟内有效，只能用一次。那边会接着用你在这里的进度。',
    en: 'In your other channel (terminal, Slack, web, Teams) send me: /link {code}\nIt works once, within 10 minutes. That channel will then share your progress from here.',
  },
  linkDone: {
    zh: '已关联 ✅ 从下一条消息起，这里和你的其他渠道共用同一份进度（阶段、案情、练习记录）。这里原有的记录已另行保存。',
    en: 'Linked ✅ From your next message on, this channel shares one record with your other channel (stage, case, practice history). What this channel had before was kept aside.',
  },
  linkUnknown: {
    zh: '这个关联码不对，或者已经过期、用过了。在另一个渠道发 /link 取一个新的。',
    en: 'That code is wrong, expired or already used. Send /link in your other channel to get a new one.',
  },
  linkOwn: {
    zh: '这个关联码就是在这里生成的。请在另一个渠道里发送它。',
    en: 'That code was made here. Send it from your other channel.',
  },
  linkMalformed: {
    zh: '用法：/link（取关联码）或 /link 六位数字',
    en: 'Usage: /link (get a code) or /link followed by the 6-digit code',
  },
  linkTooMany: {
    zh: '输错的次数太多了，请10分钟后再试。',
    en: 'Too many wrong codes. Please try again in 10 minutes.',
  },
  stateReset: {
    zh: '你之前保存的进度读不出来了（已单独备份），我们从头开始。',
    en: 'Your saved progress could not be read (a copy was kept aside), so we are starting fresh.',
  },
} satisfies Record<string, Pair>;

export type Ui = typeof ui;

/**
 * Where a channel's users type commands differently, its own forms of the strings that name them.
 * Slack sends a message starting with "/" to Slack's own slash commands, so there every command
 * is `/coach …`, and the suggested replies are buttons. Other channels use `ui` as it is.
 */
const channelUi: Record<string, Partial<Ui>> = {
  slack: {
    help: {
      zh: '我可以：\n• 回答协商问题（手续费、账户冻结、客服、投诉渠道）\n• 帮你制定协商计划，算清手续费\n• 扮演支付宝和你模拟练习，并给你打分\n• 被拒绝后告诉你下一步\n私信我，或在频道里 @我；点我消息下面的按钮就是回答。\n命令：`/coach help` 帮助 · `/coach plan` 做计划 · `/coach roleplay [fees|security|service] [easy|normal|hard]` 模拟练习 · `/coach end` 结束练习 · `/coach status` 当前阶段 · `/coach progress` 练习记录 · `/coach lang zh|en` 切换语言 · `/coach reset` 重新开始 · `/coach forget` 删除我的数据 · `/coach link` 关联其他渠道',
      en: 'I can:\n• answer negotiation questions (fees, frozen accounts, customer service, complaint channels)\n• build your negotiation plan and do the fee arithmetic\n• play Alipay in a practice role-play and score you\n• tell you what to do after a refusal\nMessage me directly, or @mention me in a channel; the buttons under my messages are answers you can click.\nCommands: `/coach help` · `/coach plan` · `/coach roleplay [fees|security|service] [easy|normal|hard]` · `/coach end` ends a role-play · `/coach status` · `/coach progress` · `/coach lang zh|en` · `/coach reset` start over · `/coach forget` delete my data · `/coach link` connect another channel',
    },
    unknownCommand: {
      zh: '没有这个命令。`/coach help` 列出所有命令。',
      en: 'Unknown command. `/coach help` lists them all.',
    },
    langUsage: {
      zh: '用法：`/coach lang zh` 或 `/coach lang en`',
      en: 'Usage: `/coach lang zh` or `/coach lang en`',
    },
  },
};

const uiByChannel = new Map(Object.entries(channelUi).map(([id, own]) => [id, { ...ui, ...own }]));

/** The interface strings as a channel's users see them (its own forms, else the common ones). */
export function uiFor(channelId: string | undefined): Ui {
  return (channelId !== undefined ? uiByChannel.get(channelId) : undefined) ?? ui;
}

/** Slack only: what `/coach` says in the channel when it goes on in the user's direct messages. */
export const slackUi = {
  continuedInDm: {
    zh: '好的，我们在私信里继续 👉 看看你和我的对话。',
    en: "OK — we'll carry on in our direct messages 👉 check your conversation with me.",
  },
} satisfies Record<string, Pair>;

/**
 * Every action the coach offers as a button. The label is also what the user may type; the
 * router maps either back to the action id.
 */
export const actions = {
  plan: { zh: '制定协商计划', en: 'Make a plan' },
  roleplay: { zh: '模拟练习', en: 'Practice role-play' },
  fee_calc: { zh: '算手续费', en: 'Calculate fees' },
  refusal: { zh: '被拒绝了怎么办', en: 'They said no' },
  status: { zh: '我到哪一步了', en: 'Where am I' },
  help: { zh: '帮助', en: 'Help' },
  yes: { zh: '确定', en: 'Yes' },
  no: { zh: '取消', en: 'No' },
  more: { zh: '详细', en: 'More' },
  contacted: { zh: '我已经联系过了', en: "I've contacted them" },
  demands_made: { zh: '我已提出要求', en: "I've made my request" },
  agreed: { zh: '谈成了', en: 'We reached a deal' },
  not_agreed: { zh: '没谈成', en: 'No deal' },
  keep_talking: { zh: '继续沟通', en: 'Keep talking' },
  seek_alternatives: { zh: '寻找替代方案', en: 'Look at alternatives' },
  seek_mediation: { zh: '第三方调解', en: 'Third-party mediation' },
  back_to_table: { zh: '带着替代方案再谈', en: 'Back to the table' },
  switch_platform: { zh: '换平台', en: 'Switch platform' },
  restart: { zh: '开始新的协商', en: 'Start a new negotiation' },
  export_plan: { zh: '导出计划', en: 'Export the plan' },
  last_practice: { zh: '上次练习', en: 'Last practice' },
  refine_evidence: { zh: '补充证据和案例', en: 'Add evidence & cases' },
  refine_alternative: { zh: '补充备选方案', en: 'Add your alternative' },
  refine_channel: { zh: '选择联系渠道', en: 'Choose a channel' },
  issue_fees: { zh: '手续费', en: 'Fees' },
  issue_security: { zh: '账户安全', en: 'Account security' },
  issue_service: { zh: '客服不处理', en: 'Customer service' },
} satisfies Record<string, Pair>;

export type ActionId = keyof typeof actions;

/** Short names of the intents, for "did you mean A or B?" buttons. */
export const intentLabels: Record<Exclude<Intent, 'out_of_scope'>, Pair> = {
  greet: { zh: '打个招呼', en: 'Just saying hi' },
  help: { zh: '你能做什么', en: 'What can you do' },
  goodbye: { zh: '先聊到这', en: "That's all for now" },
  background: { zh: '支付宝的背景', en: 'About Alipay' },
  fees: { zh: '手续费问题', en: 'A fee problem' },
  security: { zh: '账户安全问题', en: 'An account security problem' },
  service: { zh: '客服问题', en: 'A customer service problem' },
  goals_principles: { zh: '目标和原则', en: 'Goals and principles' },
  strategy: { zh: '协商策略', en: 'Negotiation strategy' },
  steps: { zh: '协商步骤', en: 'Negotiation steps' },
  plan: { zh: '制定协商计划', en: 'Make a plan' },
  contact: { zh: '怎么联系支付宝', en: 'How to contact Alipay' },
  roleplay: { zh: '模拟练习', en: 'Practice role-play' },
  refusal: { zh: '被拒绝了怎么办', en: 'They said no' },
  alternatives: { zh: '其他收款方式', en: 'Other payment options' },
  mediation: { zh: '投诉和调解', en: 'Complaints and mediation' },
  agreement: { zh: '谈成了', en: 'We reached a deal' },
  no_agreement: { zh: '没谈成', en: 'No deal' },
  outlook: { zh: '未来展望', en: 'The outlook' },
  fee_calc: { zh: '算手续费', en: 'Calculate fees' },
};

const inputProblems: Record<InputProblem, Pair> = {
  empty: {
    zh: '你发的是空消息。说说你遇到的问题吧，比如“手续费太高”或“账户被冻结”。',
    en: 'That message was empty. Tell me what you are dealing with, e.g. "fees are too high" or "my account is frozen".',
  },
  control_only: {
    zh: '这条消息只有不可见的控制字符，我读不出内容。请重新输入文字。',
    en: 'That message only had invisible control characters, so there was nothing to read. Please type it again.',
  },
  too_long: {
    zh: `消息太长了（上限${MAX_MESSAGE_CHARS}字）。请分几次发，或者先说最关键的一点。`,
    en: `That message is too long (limit ${MAX_MESSAGE_CHARS} characters). Please split it, or start with the key point.`,
  },
  invalid_encoding: {
    zh: '这条消息有乱码（不是有效的UTF-8文字），我读不了。请重新输入。',
    en: "That message had garbled bytes (not valid UTF-8 text), so I couldn't read it. Please type it again.",
  },
  not_text: {
    zh: '我只能读文字消息，请用文字告诉我你的问题。',
    en: 'I can only read text messages. Please tell me in words.',
  },
};

export function inputProblemMessage(problem: InputProblem): Pair {
  return inputProblems[problem];
}
