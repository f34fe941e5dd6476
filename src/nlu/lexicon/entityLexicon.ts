/**
 * Word lists for entity extraction. Every pattern runs on normalised text (NFKC, simplified
 * Chinese) that has been lower-cased, so English is matched in lower case only. All patterns are
 * compiled once here; none has nested quantifiers over overlapping alternatives, so matching is
 * linear in the length of the message.
 */
import type { Issue, Role } from '../../knowledge/schema';
import type { Difficulty, Period, Platform } from '../types';

/* ----------------------------------------------------------------------------------------------
 * Around a number: what makes it money, a rate, a count, a phone number.
 * Patterns named *_AFTER are matched at the start of the text after a number (sticky via ^),
 * patterns named *_BEFORE against the clause before it (anchored at $ where adjacency matters).
 * -------------------------------------------------------------------------------------------- */

/** Approximate words between a number and its unit: 3万多块, 0.6%左右, 10k+. */
const APPROX_AFTER = '(?:多|余|来|几|左右|上下|\\+)?';

/** Percent: 0.6%, 0.6 percent, 0.6个百分点, 0.38个点, 0.6点 (the last only for decimals). */
export const PERCENT_AFTER = new RegExp(
  `^\\s*${APPROX_AFTER}\\s*(?:%|percent(?![a-z])|per\\s?cent(?![a-z])|pct(?![a-z])|percentage points?(?![a-z])|个?百分点|(?:多)?个点(?!钟))`,
);
/** 0.6点 (no 个): only a decimal can be a rate this way; 3点 is three o'clock. */
export const BARE_POINT_AFTER = /^点(?![半钟整多])/;
/** Per mille: 6‰, 6 per mille. */
export const PERMILLE_AFTER = /^\s*(?:‰|per\s?mille?(?![a-z])|permille(?![a-z])|per thousand(?![a-z]))/;
/** Basis points: 60bp, 60 bps, 60 basis points, 60个基点, 6‱. */
export const BASIS_POINTS_AFTER = /^\s*(?:‱|bps?(?![a-z])|basis points?(?![a-z])|个?基点)/;

/** Currency after a number: 3000元, 3,000块, 3000块钱, 120,000 yuan, 12000 cny, 5万多块. */
export const CURRENCY_AFTER = new RegExp(
  `^\\s*${APPROX_AFTER}\\s*(?:块钱|块|元|圆|人民币|rmb(?![a-z])|cny(?![a-z])|yuan(?![a-z])|kuai(?![a-z])|rmb$)`,
);
/** Currency before a number: ¥3000, RMB 12,000, CNY 500, 人民币5000. */
export const CURRENCY_BEFORE = /(?:¥|(?<![a-z])rmb|(?<![a-z])cny|人民币)\s*$/;
/** Letters glued before a number are only allowed when they are a currency code (rmb12000). */
export const GLUED_CURRENCY_BEFORE = /(?<![a-z])(?:rmb|cny)$/;

/**
 * A count, a time or a measure after the number: 3个月, 2次, 7天, 10 years, 3千米, 500单. A money
 * marker wins over these (3000块 is money even though 块 is also a measure word).
 */
export const COUNT_AFTER = new RegExp(
  `^\\s*${APPROX_AFTER}\\s*(?:` +
    [
      '个(?!点|百分点|基点)',
      '次',
      '笔',
      '单',
      '件',
      '天',
      '日',
      '号',
      '年',
      '月',
      '岁',
      '周',
      '星期',
      '礼拜',
      '小时',
      '钟头',
      '分钟',
      '分(?!之)',
      '秒',
      '条',
      '款',
      '章',
      '节',
      '项',
      '户',
      '家',
      '位',
      '名',
      '人',
      '份',
      '张',
      '台',
      '辆',
      '部',
      '套',
      '间',
      '只',
      '头',
      '瓶',
      '盒',
      '包',
      '箱',
      '斤',
      '公斤',
      '克',
      '吨',
      '米',
      '公里',
      '千米',
      '平',
      '层',
      '楼',
      '页',
      '字',
      '遍',
      '回',
      '倍',
      '步',
      '颗',
      '种',
      '批',
      '期',
      '届',
      '度',
      '代',
      '级',
      '码',
      '寸',
      '升',
      '秒',
      '点(?!\\d)',
      "-?\\s?(?:users?|customers?|clients?|people|persons?|orders?|transactions?|payments?|times?|days?|weeks?|months?|years?|yrs?|hours?|hrs?|minutes?|mins?|seconds?|secs?|steps?|items?|stores?|shops?|branches|outlets?|locations?|employees?|staff|workers?|followers?|members?|calls?|complaints?|tickets?|accounts?|cards?|km|kg|miles?|meters?|metres?|pieces?|pcs|units?|products?|reviews?|stars?|points?|clicks?|visitors?|messages?|emails?|attempts?|tries|o'?clock|am|pm|th|st|nd|rd|x)(?![a-z])",
    ].join('|') +
    ')',
);

/** Clause breaks: a cue on the other side of one of these does not describe the number. */
export const CLAUSE_BREAK_CHARS = new Set([...',;!?。、…\n']);

/** Words before a bare number that make it money: 流水20000, turnover 80000, I make 30000. */
export const MONEY_CUE_BEFORE = new RegExp(
  [
    '流水',
    '营业额',
    '营收',
    '收入',
    '月入',
    '年入',
    '交易额',
    '交易量',
    '销售额',
    '成交额',
    '金额',
    '总额',
    '余额',
    '工资',
    '薪水',
    '月薪',
    '利润',
    '成本',
    '花了',
    '花费',
    '付了',
    '支付了',
    '转账',
    '转了',
    '提现',
    '取现',
    '还款',
    '还了',
    '欠',
    '借了',
    '贷款',
    '损失',
    '被骗',
    '骗了',
    '被盗',
    '盗刷',
    '赔',
    '退款',
    '罚款',
    '押金',
    '保证金',
    '手续费',
    '服务费',
    '提现费',
    '费用',
    '扣了',
    '收了',
    '交了',
    '卖了',
    '赚',
    '挣',
    '进账',
    '到账',
    '额度',
    '单价',
    '价格',
    '账单',
    '消费',
    '冻结了',
    '打款',
    '转款',
    '货款',
    '(?<![a-z])(?:volume|turnover|revenue|sales|income|gmv|salary|profit|amount|balance|bill|price|deposit|loan|cost|costs|fees?)(?![a-z])',
    '(?<![a-z])(?:make|makes|making|made|earn|earns|earning|earned|spend|spends|spent|paid|paying|repay\\w*|repaid|withdr[ae]w\\w*|transferr?\\w*|lost|lose|owe|owed|charged|refund\\w*|stole|scammed|frozen)(?![a-z])',
    // "pay 300" is money, "WeChat Pay 300" is a platform name.
    '(?<!(?:wechat|we chat|union|apple|samsung|google|ali)\\s?)(?<![a-z])pay(?:s)?(?![a-z])',
  ].join('|'),
);

/** After a bare number: 300 in fees, 5000 of revenue, 30000的流水. */
export const MONEY_CUE_AFTER =
  /^\s*(?:(?:in|of|worth of)\s+(?:sales|revenue|turnover|volume|fees|income|profit|transactions|gmv|payments)(?![a-z])|的?(?:流水|营业额|收入|销售额|交易额|手续费|货款|费用|营收))/;

/** Period words before or after a bare number (每月3000, 30000 a month): money when ≥ 100. */
export const PERIOD_CUE_BEFORE =
  /(?:每个?月|一个月|月均|每年|一年|年均|全年|(?<![a-z])(?:per|a|each|every) (?:month|year)(?![a-z])|(?<![a-z])(?:monthly|annually|yearly)(?![a-z]))/;
export const PERIOD_CUE_AFTER =
  /^\s*(?:多|左右|上下|\+)?\s*(?:\/\s*(?:月|年|mo|month|yr|year)(?![a-z])|(?:a|per|each|every)\s+(?:month|year)(?![a-z])|(?:monthly|annually|yearly)(?![a-z])|每个?月|一个月|每年|一年)/;

/**
 * Immediately before a bare number, these make it a rate when it is small (< 5): 费率0.6,
 * 费率是0.38, 降到0.38, rate of 0.6, lower it to 0.38. Up to six non-digit characters may sit
 * between a Chinese cue and the number (费率目前是0.6).
 */
export const RATE_CUE_BEFORE = new RegExp(
  [
    '(?:费率|扣点|点位|利率|费率点|刷卡费率)[^\\d]{0,6}$',
    '(?:降到|降低到|降低至|降至|降为|降成|下调到|下调至|调到|调低到|调整到|调整为|调成|谈到|压到|给到|涨到|提高到|提到|升到|变成|改成|改为|砍到|减到|优惠到)[^\\d]{0,3}$',
    "(?<![a-z])(?:rates?|mdr|fee rate)(?:\\s+[a-z']+){0,3}\\s*[:=]?\\s*$",
    '(?<![a-z])(?:lower(?:ed)?|reduc(?:e|ed)|cut|drop(?:ped)?|bring|brought|get|got|negotiat(?:e|ed)|push(?:ed)?|go|went|come|came|fall|fell|rais(?:e|ed)|increas(?:e|ed))(?:\\s+(?:it|that|this|them|the rate|my rate|our rate|down|up))*\\s+to\\s*$',
    '(?<![a-z])(?:down|up) to\\s*$',
  ].join('|'),
);

/** Before a bare decimal below 5, what someone offered: "they offered 0.55", "报价0.5". */
export const OFFER_CUE_BEFORE =
  /(?:给了|报价|报了|出价|开价|答应|同意)[^\d]{0,3}$|(?<![a-z])(?:offer(?:ed|s)?|quot(?:e|ed|es)|propos(?:e|ed|es)|gave|counter(?:ed)?|settled? (?:at|on|for)|agreed? (?:to|on)|accept(?:ed)?)(?:\s+(?:me|us|them|him|her))?\s*$/;

/**
 * Before a bare decimal below 5: 手续费0.6, fee 0.38, 支付宝0.6, wechat 0.38 — in this domain a
 * small decimal next to a fee word or a platform is a rate, not 0.6 yuan.
 */
export const FEE_CUE_BEFORE =
  /(?:手续费|提现费|服务费|支付宝|微信|云闪付|银联|收钱吧|拉卡拉|(?<![a-z])(?:fees?|commission|alipay|wechat(?: pay)?|unionpay)(?![a-z]))[^\d]{0,6}$/;

/** Before a number: it is a phone number (打95188, 客服电话是, call 12363). */
export const PHONE_CUE_BEFORE =
  /(?:拨打|打(?![款钱折])|拨|电话|热线|号码|致电|手机|(?<![a-z])(?:call(?:ed|ing)?|dial(?:ed|ing)?|phone|hotline|tel|ring|number|no\.)(?![a-z]))[^\d]{0,6}$/;

/** Before a number: an ordinal, article or section number (第32条, article 32, #5). */
export const ORDINAL_BEFORE =
  /(?:第|#|№|(?<![a-z])(?:article|art\.|section|sec\.|clause|item|rule|chapter|no\.|number|version|v|iphone|level|step|round|page|room)\s*)$/;

/** Before a four-digit number: a year (in 2021, since 2018). */
export const YEAR_CUE_BEFORE =
  /(?:(?<![a-z])(?:in|since|until|till|by|year|before|after|during|circa)\s*|(?:自|在|于)\s*)$/;

/** Hotlines and service numbers that are never amounts without a currency marker. */
export const SERVICE_NUMBERS = new Set([
  '95188',
  '95017',
  '95516',
  '12363',
  '12315',
  '12345',
  '12321',
  '12378',
  '12381',
  '96110',
  '10086',
  '10010',
  '95555',
  '95588',
  '95533',
  '95599',
  '95566',
  '95559',
  '95568',
  '95595',
  '95528',
  '95508',
  '95558',
  '95561',
  '95577',
  '95580',
]);

/** Between two numbers: a range or a change (3-5万, 0.6到0.38%, from 0.6 to 0.38). */
export const CONNECTOR = /^\s*(?:-|~|–|—|到|至|或者?|or|to|->|→|=>|降到|降至|降为|降低到|调到|涨到|变成)\s*$/;

/** 千六, 千三八, 千6: merchant slang for per mille, read only next to a fee word. */
export const SLANG_PERMILLE_CONTEXT_BEFORE = /(?:费率|扣点|手续费|点位|刷卡|扣|收|费)[^\d]{0,4}$/;
export const SLANG_PERMILLE_CONTEXT_AFTER = /^(?:的)?(?:费率|手续费|扣点|点)/;

/* ----------------------------------------------------------------------------------------------
 * Keyword entities.
 * -------------------------------------------------------------------------------------------- */

export const PLATFORM_PATTERNS: readonly (readonly [Platform, RegExp])[] = [
  [
    'alipay',
    /支付宝|(?<![a-z])(?:alipay|ali pay|zfb|ant group|ant financial)(?![a-z])|蚂蚁|花呗|借呗|余额宝/,
  ],
  ['wechat_pay', /微信|财付通|零钱通|(?<![a-z])(?:wechat|we chat|weixin|wx|tenpay)(?![a-z])/],
  ['unionpay', /云闪付|银联|(?<![a-z])(?:union\s?pay|quick\s?pass|ysf)(?![a-z])/],
  [
    'bank',
    // A POS terminal or card swipe counts as the bank channel unless a network or aggregator is
    // named right before it (银联刷卡, 拉卡拉pos机).
    /银行|网银|(?<!(?:银联|云闪付)(?:的)?)刷卡|(?<!(?:拉卡拉|收钱吧|乐刷|lakala)\s?(?:的)?)(?<![a-z])pos(?![a-z])|(?<![a-z])(?:banks?|banking)(?![a-z])/,
  ],
  [
    'aggregator',
    /收钱吧|拉卡拉|聚合(?:支付|码|收款|二维码|收银|平台)|乐刷|富友|汇付|随行付|付呗|哆啦宝|(?<![a-z])(?:aggregators?|lakala|shouqianba)(?![a-z])/,
  ],
];

/** Role cues with weights: self-descriptions (3) outweigh topic words (1). */
export const ROLE_PATTERNS: readonly (readonly [Role, number, RegExp])[] = [
  [
    'merchant',
    3,
    /开店|开了(?:一|个|家|间)|我开的|开(?:了)?(?:一家|一个|个|家|间)?(?:网店|淘宝店|小店|饭店|餐馆|超市|便利店|奶茶店)|我(?:是|们是)(?:一个|一名|一家|个|做)?(?:小)?(?:商家|商户|老板|店主|卖家|个体户|摊主)|我的店|我家店|我们店|我们的店|做生意的|我(?:们)?(?:在|是)?(?:卖|做)(?:水果|衣服|早餐|餐饮|小吃|奶茶|服装|生意|批发|零售)|(?<![a-z])(?:i|we) sell(?![a-z])|(?<![a-z])(?:i|we) (?:run|own|opened|operate|manage) (?:a|an|my|our|the|two|three|several|small|little)(?![a-z])(?! (?:ticket|case|complaint|dispute|account|request|claim|appeal|report|chat|new account)(?![a-z]))|(?<![a-z])(?:my|our) (?:shop|store|restaurant|business|cafe|café|stall|salon|bakery|boutique|online store|shops|stores|customers)(?![a-z])|(?<![a-z])(?:i'?m|i am|we are|we're|as) an? (?:small |online |local )?(?:merchant|seller|vendor|shop owner|store owner|business owner|shopkeeper|retailer)(?![a-z])/,
  ],
  [
    'merchant',
    1,
    /店铺|店里|小店|门店|网店|实体店|店面|商铺|摊位|摆摊|小卖部|餐馆|饭店|餐厅|超市|便利店|个体户|商家|商户|收款|营业额|流水|顾客|生意|进货|收银|老板|(?<![a-z])(?<!(?:the|that|this|another|other|a|one|some|any) )(?:merchants?|sellers?|vendors?|shopkeeper|retailer|shop|(?<!app )store|restaurant|stall)(?![a-z])|(?<![a-z])(?:turnover|sales|customers)(?![a-z])/,
  ],
  [
    'consumer',
    3,
    /个人用户|我(?:是|只是)(?:一个|一名|个)?(?:普通)?(?:消费者|用户|买家)|作为(?:一个|一名)?(?:普通)?(?:消费者|用户|个人)|(?<![a-z])(?:as|i'?m|i am|just) (?:a|an|just a) (?:regular |normal |ordinary |individual |private )?(?:user|consumer|customer|individual)(?![a-z])|(?<![a-z])(?:personal (?:account|user|credit card)|individual user|private user|(?:repay\w*|pay(?:ing)? off) (?:my |the )?(?:personal )?credit card)(?![a-z])/,
  ],
  [
    // A merchant who is someone else, the subject of the person's complaint: "要等商家处理",
    // "商家也不理我", "淘宝卖家不发货" (a buyer's words; a self-description, 3, still wins).
    'consumer',
    2,
    /(?:等|找|联系|催|问|跟|和|让|叫|向|被|给)(?:了)?(?:淘宝|网店|那个|这个|那家|这家)?(?:商家|卖家|店家)|(?:商家|卖家|店家)(?:处理|不理|也不|都不|没有|没|不发|不退|不给|拒绝|拒|那边|说|跑路|一直)|(?:淘宝|闲鱼|拼多多|京东|网店)(?:的)?(?:商家|卖家|店家)/,
  ],
  [
    // A visitor describing themselves, or someone paying at a place: "I'm a tourist from
    // Germany", "the payment was 350 yuan at a restaurant" (the restaurant is where they paid,
    // not their business).
    'consumer',
    2,
    /我(?:是|们是)(?:一个|一名|个)?(?:外国)?(?:游客|外国人|留学生|老外|外籍人士)|在(?:一家|这家|那家)?(?:餐厅|饭店|餐馆|超市|商店|酒店|商场|店里)(?:里)?(?:付|买|结账|消费|吃饭|刷)|(?<![a-z])(?:i'?m|i am|we'?re|we are|as) (?:an? )?(?:\w+ )?(?:tourist|visitor|travell?er|foreigner|expat|backpacker|exchange student)s?(?![a-z])|(?<![a-z])(?:paid|pay|paying|payment|bill|charged)(?: [\w,'-]+){0,6}? (?:at|in) (?:a|an|the|this|that) (?:restaurant|shop|store|cafe|café|supermarket|hotel|market|bar|stall|mall|taxi)(?![a-z])/,
  ],
  [
    'consumer',
    1,
    /消费者|提现到(?:银行)?卡|还信用卡|信用卡还款|普通用户|个人账户|个人账号|买家|网购|买东西|我买的|我的订单|工资|(?<![a-z])(?:consumers?|buyer|shopper|credit card (?:repayment|bill)|my credit card|salary|wages|my (?:order|purchase|package|parcel)|i (?:bought|ordered|purchased))(?![a-z])|(?<!(?:my|our|few|many|new|more|the) )(?<![a-z])customer(?! (?:service|support|care|hotline|center|centre|rep|agent))(?![a-z])/,
  ],
];

export const ISSUE_PATTERNS: readonly (readonly [Issue, RegExp])[] = [
  [
    'fees',
    /手续费|费率|扣点|提现费|服务费|收费|费用|抽成|佣金|降费|要钱|扣钱|收钱(?!吧)|便宜|太贵|好贵|很贵|坑钱|(?<![a-z])(?:fees?|rates?|commissions?|charges|mdr|pricing|expensive|cheap(?:er|est)?|pricey|overpriced|rip-?off|costs? (?:me|us|money)|costing (?:me|us))(?![a-z])|(?<![a-z])(?<!in )charg(?:e|ed|ing)(?![a-z])/,
  ],
  [
    'security',
    /冻结|解冻|解封|被盗|盗刷|盗号|诈骗|骗子|被骗|骗了|风控|限制|泄露|泄漏|封号|被封|封了|异常|安全|被黑|止付|(?<![a-z])(?:frozen|(?:un)?freez\w*|unlock\w*|unblock\w*|hack\w*|stolen|steal\w*|scam\w*|fraud\w*|restrict\w*|locked|suspend\w*|banned|security|secure|leak\w*|phishing|unauthori[sz]ed)(?![a-z])/,
  ],
  [
    'service',
    /客服|没人理|没有人理|没人处理|没有人处理|没人受理|不予处理|没人回|没人管|不理人|机器人|转人工|人工服务|打不通|踢皮球|推诿|态度差|态度不好|不回复|没回复|投诉无门|(?<![a-z])(?:customer (?:service|support|care)|(?<!(?:does|do|doesn't|don't|can|can't|cannot|to|will|won't|not) )support(?! (?:for|of|unionpay|union pay|wechat|alipay|apple|credit|foreign|international|cards?|it|this|that|them|qr|nfc|my|our|the|both|these|those|payments?))|(?:no one|nobody) (?:answers|answered|replies|replied|responds|responded|helps|helped|picks up)|run-?around|run around|no (?:response|reply)|chat\s?bot|robot|human agent|can'?t reach)(?![a-z])/,
  ],
];

/* Difficulty: only when the message names a level, not when something is merely hard. */
const ZH_EASY = '简单|容易|初级|入门|新手|低难度';
const ZH_NORMAL = '普通|正常|中等|中级|标准|适中';
const ZH_HARD = '困难|高难度|地狱|高级|专家|最难|很难|难';
const ZH_MODE_NOUN = '模式|难度|级别|等级|模拟|练习|演练|对练|陪练|角色扮演|版本|版|档|关卡|场景|对手';
const EN_LEVEL = 'easy|easier|beginner|normal|medium|standard|hard|harder|difficult|tough|tougher|expert';
const EN_MODE_NOUN =
  'mode|level|difficulty|setting|version|one|scenario|role-?play|simulation|sim|practice|opponent|negotiator|counterpart|run|game|round|challenge';

export const DIFFICULTY_PATTERNS: readonly RegExp[] = [
  // 难度高一点, 难度: 困难, 难度设为简单
  new RegExp(
    `难度(?:是|为|设为|设成|设置为|选|调到|调成|调为|用|来个|要)?[:\\s]*(${ZH_EASY}|${ZH_NORMAL}|${ZH_HARD}|高|低|大|小|中)`,
  ),
  // 难一点的模拟, 困难模式, 简单版
  new RegExp(`(${ZH_EASY}|${ZH_NORMAL}|${ZH_HARD})(?:一点儿?|一些|点儿?|些)?的?(?:${ZH_MODE_NOUN})`),
  // 来个难的, 换个简单点的
  new RegExp(
    `(?:来个|来一个|换个|换一个|给我来个|给我个|弄个|选)(简单|容易|难|困难|普通)(?:一点儿?|一些|点儿?|些)?的?`,
  ),
  // 再难一点. Not 再简单一点: that is usually "explain it more simply".
  /(?:再|更|稍微|来点|来)(难)(?:一点儿?|一些|点儿?|些)/,
  // hard mode, an easier one, difficulty: hard, on hard, make it harder
  new RegExp(`(?<![a-z])(${EN_LEVEL})\\s+(?:${EN_MODE_NOUN})(?![a-z])`),
  // mixed: hard 模式, easy难度
  new RegExp(`(?<![a-z])(${EN_LEVEL})\\s*(?:${ZH_MODE_NOUN})`),
  new RegExp(
    `(?<![a-z])difficulty(?:\\s+(?:level|setting))?\\s*(?:is|of|to|at|set to|=|:)?\\s*(${EN_LEVEL}|high|low)(?![a-z])`,
  ),
  /(?<![a-z])on (easy|normal|medium|hard)(?![a-z])/,
  /(?<![a-z])make it (harder|easier|hard|easy|tougher)(?![a-z])/,
  // The slash-command shape: roleplay [fees|security|service] [easy|normal|hard]
  /(?<![a-z])role-?\s?play(?:\s+(?:fees|security|service))?\s+(easy|normal|medium|hard)(?![a-z])/,
];

/** A whole message that is just a level (the answer to "which difficulty?"). */
export const DIFFICULTY_ALONE = new RegExp(
  `^(${ZH_EASY}|${ZH_NORMAL}|${ZH_HARD}|${EN_LEVEL}|high|low)(?:模式|难度|\\s?mode)?$`,
);

const DIFFICULTY_WORDS: readonly (readonly [Difficulty, RegExp])[] = [
  ['easy', new RegExp(`^(?:${ZH_EASY}|低|小|easy|easier|beginner|low)$`)],
  ['normal', new RegExp(`^(?:${ZH_NORMAL}|中|normal|medium|standard)$`)],
  ['hard', new RegExp(`^(?:${ZH_HARD}|高|大|hard|harder|difficult|tough|tougher|expert|high)$`)],
];

export function difficultyOfWord(word: string): Difficulty | undefined {
  for (const [level, re] of DIFFICULTY_WORDS) if (re.test(word)) return level;
  return undefined;
}

/** Period cues; "一个月/一年" only when not a duration (冻结了一个月, a month ago). */
export const PERIOD_PATTERNS: readonly (readonly [Period, RegExp])[] = [
  [
    'month',
    /每个?月|月流水|月营业额|月收入|月入|月均|月销|月交易|月费|月薪|月工资|包月|按月|(?<![了过第这那上下几半\d十])一个月(?![了后前内])|\/\s*(?:月|mo(?![a-z])|month(?![a-z]))|(?<![a-z])(?:per month|monthly|(?:each|every) month|(?<!(?:for|in|within|than|after|about|over|almost|nearly) )a month(?! (?:ago|later|before|after)))(?![a-z])/,
  ],
  [
    'year',
    /每年|年流水|年营业额|年收入|年入|年均|年销|年交易|全年|年费|按年|(?<![了过第这那去明今上下几半\d零〇一二两三四五六七八九十])一年(?![了后前内级多])|\/\s*(?:年|yr(?![a-z])|year(?![a-z]))|(?<![a-z])(?:per year|per annum|annual|annually|yearly|(?:each|every) year|(?<!(?:for|in|within|than|after|about|over|almost|nearly) )a year(?! (?:ago|later|before|after)))(?![a-z])|(?<![a-z])p\.a\./,
  ],
];
