/**
 * The fee calculator (dialogs/feeCalcDialog.ts) through the real bot: the monthly and yearly fee
 * at each rate and the saving, the comparison with the sourced reference rates of
 * knowledge/reference-rates.yaml, questions only for what is missing, the number formats users
 * type (万, k, w, 千分之六, ‰, 个点), re-asking on nonsense, and both languages.
 */
import { conversation, chatPerTest, type DialogChat, type Turn } from './dialogChat';

const ASK_VOLUME = {
  zh: '你每月通过支付宝收款大概多少？',
  en: 'Roughly how much do you take through Alipay a month?',
} as const;
const ASK_RATE = { zh: '你现在的费率是多少？', en: 'What is your current rate?' } as const;
/** The re-ask says why the answer was not taken and how to send it. */
const ASK_RATE_AGAIN = { zh: '我没读到费率', en: "I couldn't find a rate there" } as const;
const ASK_VOLUME_AGAIN = { zh: '我没读到金额', en: "I couldn't find an amount there" } as const;

let chat: DialogChat;
chatPerTest((c) => (chat = c));

/** Sends each line in turn and returns every turn, so a test can check none asked again. */
const talk = (lines: string[]): Promise<Turn[]> => conversation(chat, lines);

describe('the arithmetic', () => {
  it('ZH: 10万/月, 0.6% → 0.38%: 600 vs 380 a month, saves 220 a month and 2,640 a year', async () => {
    const turn = await chat.say('帮我算算手续费，月流水10万，费率0.6%，想降到0.38%');

    expect(turn.text).toContain('📊 手续费测算（月流水100,000元）');
    expect(turn.text).toContain('• 现在 0.6%：每月600元，每年7,200元');
    expect(turn.text).toContain('• 目标 0.38%：每月380元，每年4,560元');
    expect(turn.text).toContain('→ 每月省220元，每年省2,640元');
    expect(turn.text).not.toContain(ASK_VOLUME.zh);
    expect(turn.text).not.toContain(ASK_RATE.zh);
  });

  it('EN: the same numbers in English', async () => {
    const turn = await chat.say('calculate my fees: 100k a month at 0.6%, target 0.38%');

    expect(turn.summary.lang).toBe('en');
    expect(turn.text).toContain('📊 Fee check (monthly volume CNY 100,000)');
    expect(turn.text).toContain('• Now 0.6%: CNY 600 a month, CNY 7,200 a year');
    expect(turn.text).toContain('• Target 0.38%: CNY 380 a month, CNY 4,560 a year');
    expect(turn.text).toContain('→ saves CNY 220 a month, CNY 2,640 a year');
  });

  it('ZH: fees in fen are shown to the fen (8千 at 0.38% → 30.40元 a month)', async () => {
    const turn = await chat.say('帮我算算手续费，月流水8千，费率0.6%');

    expect(turn.text).toContain('• 现在 0.6%：每月48元，每年576元');
    expect(turn.text).toContain('支付宝部分类目费率 0.38%：每月30.40元，每年364.80元');
  });

  it('ZH: a yearly volume is turned into a monthly one (一年120万 → 月流水100,000元)', async () => {
    const turn = await chat.say('帮我算算手续费，一年流水120万，费率0.6%');

    expect(turn.text).toContain('月流水100,000元');
    expect(turn.text).toContain('每月600元，每年7,200元');
  });

  it('the facts are kept for the plan and the templates', async () => {
    await chat.say('帮我算算手续费，月流水10万，费率0.6%，想降到0.38%');

    const profile = await chat.storedProfile();
    expect(profile?.facts).toMatchObject({ monthlyVolume: 100000, currentRate: 0.6, targetRate: 0.38 });
    expect(profile?.role).toBe('merchant');
    expect(profile?.issue).toBe('fees');
  });
});

describe('comparison with the reference rates (knowledge/reference-rates.yaml)', () => {
  it('ZH: at 0.6% the lower published 0.38% category rate is compared, with its source and date', async () => {
    const turn = await chat.say('帮我算算手续费，月流水10万，费率0.6%');

    expect(turn.text).toContain('参考（公开资料）：');
    expect(turn.text).toContain('• 支付宝部分类目费率 0.38%：每月380元，每年4,560元');
    expect(turn.text).toMatch(/📎 依据：.*（截至.+）/);
    expect(turn.text).toContain('实际费率以你的商家后台或95188确认为准');
  });

  it('ZH: at 0.38% both 0.6% references (Alipay standard, WeChat Pay micro-merchants) are compared', async () => {
    const turn = await chat.say('帮我算算手续费，月流水10万，费率0.38%');

    expect(turn.text).toContain('• 支付宝当面付标准费率 0.6%：每月600元，每年7,200元');
    expect(turn.text).toContain('• 微信支付小微商户费率 0.6%：每月600元，每年7,200元');
    // The user's own rate is not listed again as a reference.
    expect(turn.text).not.toContain('支付宝部分类目费率');
  });

  it('EN: the references are named in English', async () => {
    const turn = await chat.say('calculate my fees, 100k a month at 0.38%');

    expect(turn.text).toContain('For comparison (published figures):');
    expect(turn.text).toContain(
      '• Alipay face-to-face standard rate 0.6%: CNY 600 a month, CNY 7,200 a year',
    );
    expect(turn.text).toContain('• WeChat Pay micro-merchant rate 0.6%');
    expect(turn.text).toMatch(/📎 Sources: .*\(as of .+\)/);
  });

  it('offers the next steps as buttons', async () => {
    const turn = await chat.say('帮我算算手续费，月流水10万，费率0.6%');

    expect(turn.actions).toEqual(expect.arrayContaining(['制定协商计划', '模拟练习']));
  });
});

describe('asking only for what is missing', () => {
  it('ZH: rate given, volume missing → asks the volume only, then calculates', async () => {
    const [ask, result] = await talk(['帮我算算手续费，费率千分之六', '5万']);

    expect(ask?.summary.mode).toBe('fee_calc');
    expect(ask?.text).toContain(ASK_VOLUME.zh);
    expect(ask?.text).not.toContain(ASK_RATE.zh);
    expect(result?.text).not.toContain(ASK_RATE.zh);
    expect(result?.text).toContain('月流水50,000元');
    expect(result?.text).toContain('• 现在 0.6%：每月300元，每年3,600元');
    expect(result?.summary.mode).toBe('coach');
  });

  it('ZH: volume given, rate missing → asks the rate only, with 0.6% / 0.38% as buttons', async () => {
    const ask = await chat.say('帮我算算手续费，月流水3w');

    expect(ask.text).toContain(ASK_RATE.zh);
    expect(ask.text).not.toContain(ASK_VOLUME.zh);
    expect(ask.actions).toEqual(['0.6%', '0.38%']);

    const result = await chat.click('0.38%');
    expect(result.text).toContain('月流水30,000元');
    expect(result.text).toContain('• 现在 0.38%：每月114元，每年1,368元');
  });

  it('EN: nothing given → volume first, then the rate; each asked once', async () => {
    const turns = await talk(['calculate my shop fees', '80k', '0.6%']);

    expect(turns[0]?.text).toContain(ASK_VOLUME.en);
    expect(turns[1]?.text).toContain(ASK_RATE.en);
    expect(turns[1]?.text).not.toContain(ASK_VOLUME.en);
    expect(turns[2]?.text).toContain('• Now 0.6%: CNY 480 a month, CNY 5,760 a year');
  });

  it('ZH: numbers from earlier (a plan, a calculation) are not asked again', async () => {
    await chat.say('帮我算算手续费，月流水10万，费率0.6%');

    const again = await chat.say('帮我算算手续费，想降到0.38%');

    expect(again.text).not.toContain(ASK_VOLUME.zh);
    expect(again.text).not.toContain(ASK_RATE.zh);
    expect(again.text).toContain('→ 每月省220元，每年省2,640元');
  });

  it('EN: "not sure" about the volume → the fee per CNY 10,000', async () => {
    const turns = await talk(['calculate my shop fees', 'not sure', '0.6%']);

    expect(turns[1]?.text).toContain(ASK_RATE.en);
    expect(turns[2]?.text).toContain('📊 Fee check (per CNY 10,000 of volume — multiply by yours)');
    expect(turns[2]?.text).toContain('• Now 0.6%: CNY 60 a month, CNY 720 a year');
  });
});

describe('which fee', () => {
  it('EN: "calculate my fees" from someone we know nothing about asks which fee first', async () => {
    const ask = await chat.say('calculate my fees');

    expect(ask.text).toContain('Which fee shall I work out?');
    expect(ask.actions).toEqual(
      expect.arrayContaining(['Merchant fees on my sales', 'Withdrawing to a bank card']),
    );

    const next = await chat.click('Merchant fees on my sales');
    expect(next.text).toContain(ASK_VOLUME.en);
  });

  it('ZH: a consumer asking about withdrawing gets the withdrawal fee, never a merchant rate question', async () => {
    const turns = await talk(['提现3万要多少手续费']);

    expect(turns[0]?.text).toContain('提现');
    expect(turns[0]?.text).not.toContain(ASK_RATE.zh);
    expect(turns[0]?.text).not.toContain(ASK_VOLUME.zh);
  });
});

describe('the formats users type', () => {
  it.each([
    ['十万', '100,000元'],
    ['8千', '8,000元'],
    ['大概3w', '30,000元'],
    ['12万元', '120,000元'],
  ])('ZH volume "%s" is read as %s', async (volume, shown) => {
    await chat.say('帮我算算手续费，费率0.6%');
    const turn = await chat.say(volume);

    expect(turn.text).toContain(`月流水${shown}`);
  });

  it.each([
    ['千分之六', '0.6%：每月600元'],
    ['0.6个点', '0.6%：每月600元'],
    ['千分之三点八', '0.38%：每月380元'],
    ['6‰', '0.6%：每月600元'],
  ])('ZH rate "%s" is read as a percentage', async (rate, shown) => {
    await chat.say('帮我算算手续费，月流水10万');
    const turn = await chat.say(rate);

    expect(turn.text).toContain(`• 现在 ${shown}`);
  });

  it('EN: "120,000 yuan" and "6‰" are understood', async () => {
    await chat.say('calculate my shop fees');
    await chat.say('120,000 yuan');
    const turn = await chat.say('6‰');

    expect(turn.text).toContain('monthly volume CNY 120,000');
    expect(turn.text).toContain('• Now 0.6%: CNY 720 a month, CNY 8,640 a year');
  });
});

describe('nonsense and interruptions', () => {
  it('EN: nonsense is not taken as a number: the same question is asked again', async () => {
    await chat.say('calculate my shop fees');

    const again = await chat.say('banana');

    expect(again.text).toContain(ASK_VOLUME_AGAIN.en);
    expect(again.text).not.toContain('Fee check');
    expect(again.summary.mode).toBe('fee_calc');
  });

  it('ZH: nonsense for the rate re-asks the rate (with its buttons); a real answer then finishes', async () => {
    await chat.say('帮我算算手续费，月流水10万');

    const again = await chat.say('哈哈哈');
    expect(again.text).toContain(ASK_RATE_AGAIN.zh);
    expect(again.actions).toEqual(['0.6%', '0.38%']);
    expect(again.summary.mode).toBe('fee_calc');

    const done = await chat.say('0.6%');
    expect(done.text).toContain('每月600元');
  });

  it('ZH: /help mid-calculation shows the help and asks the pending question again', async () => {
    await chat.say('帮我算算店里的手续费');

    const help = await chat.say('/help');

    expect(help.text).toContain('命令：/help');
    expect(help.replies[help.replies.length - 1]?.text).toContain(ASK_VOLUME.zh);
    expect(help.summary.mode).toBe('fee_calc');
  });

  it('EN: "cancel" leaves the calculator; the question is not asked again afterwards', async () => {
    await chat.say('calculate my shop fees');

    const stop = await chat.say('cancel');
    expect(stop.text).toBe('OK, stopped.');
    expect(stop.summary.mode).toBe('coach');

    const after = await chat.say('/help');
    expect(after.text).toContain('Commands: /help');
    expect(after.text).not.toContain(ASK_VOLUME.en);
  });
});
