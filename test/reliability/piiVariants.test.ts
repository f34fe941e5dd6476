/**
 * Personal data in the forms people really type it — full-width digits, separators, country
 * prefixes, traditional characters, "is:" and "是：" — is masked everywhere it could go: the
 * SQLite file, Redis (its keys and its append-only file), the logs at debug level, the replies
 * and what is posted to the Slack Web API. Each variant row says what must not survive; it is
 * looked for in every form (as typed, NFKC, digits only, JSON-escaped). One conversation per
 * store carries every row, so the rows also land inside prompts and role-plays.
 */
import { toTraditional } from '../../src/text/script';
import { spawnSync } from 'node:child_process';
import type { StoreItems } from 'botbuilder';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { startServer } from '../../src/channels/http/server';
import { mountSlack } from '../../src/channels/slack/slackHttp';
import { texts } from '../helpers/texts';
import { createLogger, setLogSink } from '../../src/log/logger';
import { findSecrets, maskPii, maskPiiDetailed, type PiiKind } from '../../src/privacy/pii';
import { createApp } from '../../src/app/createApp';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { ForwardingStorage } from '../../src/storage/forwardingStorage';
import { RedisStorage } from '../../src/storage/redisStorage';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { startRedis } from '../helpers/redis';
import { testChat, type TestChat } from '../helpers/runtime';
import { tempDir } from '../helpers/tmp';
import { SIGNING_SECRET, dm, eventBody, postSlack, shownText, slackApiStub } from '../slack/slackHelpers';

/** [what the user types, what must not survive it, the kind(s) the masker must report]. */
type Variant = [input: string, secrets: string | string[], kinds: PiiKind | PiiKind[]];

const LONG_PASSWORD = 'Tr0ub4dor.and.3.more.words-that.make.this.passphrase.longer.than.64.chars!x';
const LONG_PASSWORD_ZH = `${'k9.'.repeat(30)}end`;

const VARIANTS: Variant[] = [
  // Verification codes: simplified Chinese.
  ['验证码是：654321', '654321', 'verification_code'],
  ['验证码是:731946', '731946', 'verification_code'],
  ['短信验证码 ７３９１５２', '７３９１５２', 'verification_code'],
  ['验证码为 815273946', '815273946', 'verification_code'],
  ['验证码=5931', '5931', 'verification_code'],
  ['验证码 -> 738204', '738204', 'verification_code'],
  ['动态码：A7K9Q2', 'A7K9Q2', 'verification_code'],
  ['校验码是 20481632', '20481632', 'verification_code'],
  ['客服让我把验证码 462819 发给他', '462819', 'verification_code'],
  ['确认码：AB12CD', 'AB12CD', 'verification_code'],
  ['验证码就是 4815 1623', ['4815 1623', '48151623'], 'verification_code'],
  ['手机验证码是「９０２７１８」', '９０２７１８', 'verification_code'],
  // Verification codes: traditional Chinese.
  ['驗證碼：351846', '351846', 'verification_code'],
  ['簡訊驗證碼是 927364', '927364', 'verification_code'],
  ['動態碼為 5829173', '5829173', 'verification_code'],
  ['驗證碼是 ８１３５７９', '８１３５７９', 'verification_code'],
  ['安全碼：60417', '60417', 'verification_code'],
  // Verification codes: English.
  ['the code is: 482913', '482913', 'verification_code'],
  ['verification code: 384756', '384756', 'verification_code'],
  ['my OTP is 906215', '906215', 'verification_code'],
  ['the sms code is 7428-19', ['7428-19', '742819'], 'verification_code'],
  ['security code = 5512 9034', ['5512 9034', '55129034'], 'verification_code'],
  ['Code: 0071946283', '0071946283', 'verification_code'],
  ['your confirmation code is "739152"', '739152', 'verification_code'],
  ['one-time code 46190', '46190', 'verification_code'],
  ['they asked for the code -> 553172', '553172', 'verification_code'],
  ['the verification code is ９９１２３４', '９９１２３４', 'verification_code'],
  // Passwords: simplified Chinese.
  ['我的支付密码是 pay8888', 'pay8888', 'password'],
  ['登录密码：Qw3rty!x', 'Qw3rty!x', 'password'],
  [`密码是 ${LONG_PASSWORD_ZH}`, LONG_PASSWORD_ZH, 'password'],
  ['口令 xyz789abc', 'xyz789abc', 'password'],
  ['支付密码是135790', '135790', 'password'],
  ['密码改成了 Abc.123456', 'Abc.123456', 'password'],
  ['交易密码：８８６６２２', '８８６６２２', 'password'],
  ['我的密码是abc12345，验证码 384920', ['abc12345', '384920'], ['password', 'verification_code']],
  ['PIN码是 7305', '7305', 'password'],
  // Passwords: traditional Chinese.
  ['密碼是 tw.Secret42', 'tw.Secret42', 'password'],
  ['登入密碼：HK_pass_2024', 'HK_pass_2024', 'password'],
  ['支付密碼為 246810', '246810', 'password'],
  ['我的密碼：ｚｈ．ｍｉｍａ７７', ['ｚｈ．ｍｉｍａ７７', 'zh.mima77'], 'password'],
  // Passwords: English.
  ['my password is ab.cdef99', 'ab.cdef99', 'password'],
  ['my pin is 7396', '7396', 'password'],
  ['PIN: 8642', '8642', 'password'],
  ['passcode is 559731', '559731', 'password'],
  ['my password is P@ss.w0rd#2024', 'P@ss.w0rd#2024', 'password'],
  ['pwd=hunter2hunter2', 'hunter2hunter2', 'password'],
  ['the password is "s3cr3t.pass"', 's3cr3t.pass', 'password'],
  ['password -> zz.top.99', 'zz.top.99', 'password'],
  [`My password is: ${LONG_PASSWORD}`, LONG_PASSWORD, 'password'],
  ['my password was Summer2024.', 'Summer2024', 'password'],
  // Mobile and landline numbers.
  ['１３５２４６８１３５７', ['１３５２４６８１３５７', '13524681357'], 'phone'],
  ['136.1357.2468', ['136.1357.2468', '13613572468'], 'phone'],
  ['手机 138 1234 5678', ['138 1234 5678', '13812345678'], 'phone'],
  ['电话：139-8765-4321', ['139-8765-4321', '13987654321'], 'phone'],
  ['+86 150 1111 2222', ['150 1111 2222', '15011112222'], 'phone'],
  ['0086-18612345678', '18612345678', 'phone'],
  ['(86)17712345678', '17712345678', 'phone'],
  ['（８６）１５８ ８８８８ ６６６６', ['１５８ ８８８８ ６６６６', '15888886666'], 'phone'],
  ['１３８－１２３４－５６７８', ['１３８－１２３４－５６７８', '13812345678'], 'phone'],
  ['我的手機是 135-7924-6801', ['135-7924-6801', '13579246801'], 'phone'],
  ['call me at 159 2468 1357', ['159 2468 1357', '15924681357'], 'phone'],
  ['my number is +86-131-2345-6789', ['131-2345-6789', '13123456789'], 'phone'],
  ['座机 010-87654321', ['010-87654321', '01087654321'], 'phone'],
  ['(021) 6123 4567', ['6123 4567', '02161234567'], 'phone'],
  ['联系我：1３9 0000 1111', ['1３9 0000 1111', '13900001111'], 'phone'],
  // Resident ID numbers: 18 digits in the usual groupings, and the old 15-digit form.
  ['110101 19900307 123X', ['110101 19900307 123X', '11010119900307123X'], 'id_card'],
  ['1101 0119 9003 0712 3X', ['1101 0119 9003 0712 3X', '11010119900307123X'], 'id_card'],
  ['身份证号 11010519491231002X', '11010519491231002X', 'id_card'],
  ['身份證：440301-19851015-2316', ['440301-19851015-2316', '440301198510152316'], 'id_card'],
  ['身份证 110101900307123', '110101900307123', 'id_card'],
  ['ID card 320102 850101 241', ['320102 850101 241', '320102850101241'], 'id_card'],
  [
    '身份证 ４４０３０１１９８５１０１５２３１６',
    ['４４０３０１１９８５１０１５２３１６', '440301198510152316'],
    'id_card',
  ],
  ['my ID number is 310104198801015555', '310104198801015555', 'id_card'],
  ['身份证号码：51010720000229301x', '51010720000229301x', 'id_card'],
  ['身分證字號 330106 1987 0412 0018', ['330106 1987 0412 0018', '330106198704120018'], 'id_card'],
  // E-mail addresses.
  ['shop＠example.com', ['shop＠example.com', 'shop@example.com'], 'email'],
  ['邮箱 zhang.san＠qq．com', ['zhang.san＠qq．com', 'zhang.san@qq.com'], 'email'],
  ['email me: owner+alipay@shop-mail.cn', 'owner+alipay@shop-mail.cn', 'email'],
  ['郵箱：chen_wei@163.com', 'chen_wei@163.com', 'email'],
  // Bank cards (Luhn-valid).
  ['卡号 6222 0212 3456 7894', ['6222 0212 3456 7894', '6222021234567894'], 'bank_card'],
  [
    '银行卡：６２２８４８００１２３４５６７８９０３',
    ['６２２８４８００１２３４５６７８９０３', '6228480012345678903'],
    'bank_card',
  ],
  ['card 4367-4201-2345-6781', ['4367-4201-2345-6781', '4367420123456781'], 'bank_card'],
  ['銀行卡號 6217 0000 1000 2000', ['6217 0000 1000 2000', '6217000010002000'], 'bank_card'],
];

/**
 * The coach's own subject matter: rates, amounts, dates, hotlines. None of it is personal data and
 * all of it must reach the NLU and the store as typed. A case or ticket number ("工单号
 * 20241208-5531") identifies a complaint, not a person: it stays readable, so the user can quote
 * it again to Alipay or a regulator.
 */
const MUST_STAY: string[] = [
  '费率0.6%',
  '月流水5万',
  '流水100,000元',
  '截止到2024-09-30',
  '投诉打12363',
  '支付宝客服95188',
  '反诈专线96110',
  '降到0.38个点',
  '工单号 20241208-5531',
  '投诉单号：2024120855310001',
  'case number 20241208-5531',
  // Complaint numbers long enough to pass Luhn by chance stay readable too (a role-play debrief
  // quotes them).
  '投诉号4417123456789113',
  '投诉单4417123456789113，一直没人管',
  'My complaint (no. 4417123456789113) has no answer',
  'error code 40004',
  '费率千分之六，6‰',
  '每月流水 150000 元，一年 1800000 元',
  '费率从 0.6% 降到 0.38%',
  '2021-08-01 起小微商户9折',
  '手续费 600 元/月，¥120,000 一年',
  '２０２４年９月３０日前，费率０.６％',
  'call 95188 or 12363 between 9:00-18:00',
  'rate 0.55% on 80k yuan a month',
  '我的密码被盗了',
  '支付密码要6位数字吗',
  'my password was stolen',
  'I forgot my password, how do I reset it?',
  'the verification code expired',
  '验证码收不到怎么办',
  'password-free payments were abused',
  '流水 150000 40000 元',
];

const SECRET_KINDS = new Set<PiiKind>(['password', 'verification_code']);
const secretsOf = (v: Variant): string[] => (Array.isArray(v[1]) ? v[1] : [v[1]]);
const kindsOf = (v: Variant): PiiKind[] => (Array.isArray(v[2]) ? v[2] : [v[2]]);
const warns = (v: Variant): boolean => kindsOf(v).some((k) => SECRET_KINDS.has(k));

/** Every form a secret could be found in: as typed, NFKC, letters and digits only, JSON-escaped. */
function forms(secret: string): string[] {
  const nfkc = secret.normalize('NFKC');
  const out = new Set([secret, nfkc]);
  const compact = nfkc.replace(/[^0-9A-Za-z]/g, '');
  if (compact.length >= 4) out.add(compact);
  for (const f of [...out]) {
    const escaped = f.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    out.add(escaped);
  }
  return [...out];
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The secrets of every row found in `haystack`, as "row: form". A form counts only on its own (not
 * inside a longer run of letters or digits: a timestamp may hold any four digits), and not as a
 * part of an eTag or a lock token: a UUID's groups of four are now and then four digits.
 */
function leaks(text: string, where: string): string[] {
  const haystack = text.replace(UUID, '<uuid>');
  const out: string[] = [];
  for (const v of VARIANTS) {
    for (const secret of secretsOf(v)) {
      for (const form of forms(secret)) {
        const re = new RegExp(`(?<![0-9A-Za-z])${escapeRe(form)}(?![0-9A-Za-z])`);
        if (re.test(haystack)) out.push(`${where}: ${JSON.stringify(form)} of ${JSON.stringify(v[0])}`);
      }
    }
  }
  return out;
}

// A message in traditional characters is answered in traditional characters, the warning too.
const WARNING = [
  texts.t('core.secret_warning', 'zh'),
  toTraditional(texts.t('core.secret_warning', 'zh')),
  texts.t('core.secret_warning', 'en'),
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every byte of every file under `dir`, read as text (SQLite pages, WAL, Redis's AOF). */
const rawFiles = (dir: string): string =>
  filesUnder(dir)
    .map((f) => readFileSync(f).toString('utf8'))
    .join('\n');

describe('personal data variants: the masker', () => {
  it('has a table of every variant and of what must stay', () => {
    expect(VARIANTS.length).toBeGreaterThanOrEqual(60);
    expect(MUST_STAY.length).toBeGreaterThanOrEqual(20);
    const inputs = VARIANTS.map((v) => v[0]);
    expect(new Set(inputs).size).toBe(inputs.length);
    for (const kind of ['phone', 'id_card', 'bank_card', 'email', 'password', 'verification_code'])
      expect(VARIANTS.filter((v) => kindsOf(v).includes(kind as PiiKind)).length).toBeGreaterThanOrEqual(4);
    // Simplified and traditional Chinese, and English, for passwords and codes alike.
    for (const kind of SECRET_KINDS) {
      const rows = VARIANTS.filter((v) => kindsOf(v).includes(kind)).map((v) => v[0]);
      expect(rows.some((r) => /[码]/.test(r))).toBe(true);
      expect(rows.some((r) => /[碼]/.test(r))).toBe(true);
      expect(rows.some((r) => /^[\x20-\x7e]+$/.test(r))).toBe(true);
    }
  });

  it.each(VARIANTS)('masks %j', (input, secrets, kinds) => {
    const { text, found } = maskPiiDetailed(input);
    for (const kind of Array.isArray(kinds) ? kinds : [kinds]) expect(found).toContain(kind);
    expect(leaks(text, 'masked')).toEqual([]);
    for (const s of Array.isArray(secrets) ? secrets : [secrets]) expect(text).not.toContain(s);
    // Masked text masks to itself: stored state is masked again on every save.
    expect(maskPii(text)).toBe(text);
    expect(findSecrets(input).length > 0).toBe(warns([input, secrets, kinds]));
  });

  it.each(MUST_STAY)('leaves %j as it is', (input) => {
    expect(maskPiiDetailed(input)).toEqual({ text: input, found: [] });
  });

  it('changes nothing but the personal parts: the rest keeps its full-width forms', () => {
    expect(maskPii('费率０.６％，验证码是：６５４３２１，电话（８６）１３８ １２３４ ５６７８。')).toBe(
      '费率０.６％，验证码是：[code]，电话[phone]。',
    );
    expect(maskPii('客服让我把验证码 462819 发给他，还要我的支付密码是 pay8888')).toBe(
      '客服让我把验证码 [code] 发给他，还要我的支付密码是 [password]',
    );
  });
});

/** A plan made at once, so that "add evidence" asks for free text, which the plan keeps. */
const PLAN = [
  '帮我做个协商计划',
  '我是商家',
  '降手续费',
  '0.6%',
  '每月10万',
  '0.38%',
  '跳过',
  '跳过',
  '跳过',
];
const ADD_EVIDENCE = texts.pair('actions.refine_evidence');

/**
 * Every row through the bot in one conversation: first as the answer to a prompt (the evidence
 * slot of the plan, which is stored), then as a message of its own. Returns every
 * reply, and the rows whose warning was missing (or given when it should not be).
 */
async function converse(chat: TestChat): Promise<{ replies: string; wrongWarnings: string[] }> {
  const replies: string[] = [];
  const wrongWarnings: string[] = [];
  const say = async (text: string, warning: boolean | undefined): Promise<void> => {
    const said = await chat.say(text);
    replies.push(...said.texts);
    const warned = said.texts.some((t) => WARNING.includes(t));
    if (warning !== undefined && warned !== warning)
      wrongWarnings.push(`${warned ? 'warned' : 'no warning'}: ${text}`);
  };
  for (const text of PLAN) await say(text, false);
  for (const [i, v] of VARIANTS.entries()) {
    await say(i % 2 === 0 ? ADD_EVIDENCE.zh : ADD_EVIDENCE.en, false);
    await say(v[0], warns(v));
  }
  for (const v of VARIANTS) await say(v[0], warns(v));
  for (const input of MUST_STAY) await say(input, false);
  return { replies: replies.join('\n'), wrongWarnings };
}

/** Every write that reaches the backend, as it reaches it (after masking). */
class RecordingStorage extends ForwardingStorage {
  readonly writes: string[] = [];

  override write(changes: StoreItems): Promise<void> {
    this.writes.push(JSON.stringify(changes));
    return super.write(changes);
  }
}

function redisAvailable(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

describe('personal data variants: end to end at LOG_LEVEL debug', () => {
  const lines: string[] = [];
  const level = process.env.LOG_LEVEL;
  beforeAll(() => {
    process.env.LOG_LEVEL = 'debug';
    setLogSink((line) => lines.push(line));
  });
  afterAll(() => {
    setLogSink(undefined);
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
  });

  it('SQLite: no write, row or byte of the file, and no reply holds any of it; secrets are warned about', async () => {
    const t = tempDir();
    try {
      const db = join(t.dir, 'coach.db');
      const storage = new RecordingStorage(new SqliteStorage(db));
      const chat = await testChat({ storage, logger: createLogger() });
      const { replies, wrongWarnings } = await converse(chat);
      const whileOpen = rawFiles(t.dir); // the write-ahead log holds the latest writes
      await chat.runtime.close();
      expect(wrongWarnings).toEqual([]);
      const sqlite = new Database(db, { readonly: true });
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      const rows = tables.map((tb) => JSON.stringify(sqlite.prepare(`SELECT * FROM "${tb.name}"`).all()));
      sqlite.close();
      // The rows were stored (masked) as the plan's evidence, one after the other.
      const writes = storage.writes.join('\n');
      for (const label of ['[password]', '[code]', '[phone]', '[id-card]', '[email]', '[card]'])
        expect(writes).toContain(label);
      expect([
        ...leaks(writes, 'sqlite writes'),
        ...leaks(rows.join('\n'), 'sqlite rows'),
        ...leaks(`${whileOpen}\n${rawFiles(t.dir)}`, 'sqlite file'),
        ...leaks(replies, 'replies'),
      ]).toEqual([]);
    } finally {
      t.cleanup();
    }
  }, 120_000);

  (redisAvailable() ? it : it.skip)(
    'Redis: neither its keys and values, its append-only file nor the replies hold any of it',
    async () => {
      const redis = await startRedis();
      try {
        const storage = new RecordingStorage(await RedisStorage.connect(redis.url));
        const chat = await testChat({ storage, logger: createLogger() });
        const { replies, wrongWarnings } = await converse(chat);
        await chat.runtime.close();
        expect(wrongWarnings).toEqual([]);
        const client = new Redis(redis.url);
        const dump: string[] = [];
        for (const key of await client.keys('*')) {
          const type = await client.type(key);
          const value =
            type === 'hash'
              ? await client.hgetall(key)
              : type === 'string'
                ? await client.get(key)
                : type === 'list'
                  ? await client.lrange(key, 0, -1)
                  : type === 'set'
                    ? await client.smembers(key)
                    : type === 'zset'
                      ? await client.zrange(key, '0', '-1')
                      : type;
          dump.push(`${key} ${JSON.stringify(value)}`);
        }
        client.disconnect();
        const writes = storage.writes.join('\n');
        for (const label of ['[password]', '[code]', '[phone]', '[id-card]', '[email]', '[card]'])
          expect(writes).toContain(label);
        // The append-only file holds every write Redis took, in Redis's own words.
        expect(rawFiles(redis.dir)).toContain('[password]');
        expect([
          ...leaks(writes, 'redis writes'),
          ...leaks(dump.join('\n'), 'redis'),
          // RESP's own lengths ("$7305") are not values.
          ...leaks(rawFiles(redis.dir).replace(/[*$]\d+\r\n/g, '\n'), 'redis aof'),
          ...leaks(replies, 'replies'),
        ]).toEqual([]);
      } finally {
        await redis.stop();
      }
    },
    120_000,
  );

  it('Slack: nothing posted to the Web API holds any of it; secrets are warned about', async () => {
    const api = await slackApiStub();
    const logger = createLogger({ service: 'coach' });
    const storage = new MemoryStorage();
    const runtime = await createApp({ storage, seed: 1, logger });
    const server = await startServer(
      runtime,
      { port: 0, host: '127.0.0.1', allowUnauthenticated: false, credentials: {} },
      logger,
      {
        mount: (app) => {
          mountSlack(
            app,
            runtime,
            { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, apiUrl: api.apiUrl },
            logger,
          );
        },
      },
    );
    const base = `http://127.0.0.1:${server.port}`;
    const postsTo = (channel: string) =>
      api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
    try {
      // A user per row (Slack's per-user rate limit would hold back most of one user's rows):
      // "add evidence", then the row, which the plan keeps.
      const send = async (i: number, text: string, posts: number): Promise<void> => {
        const body = eventBody(dm(text, { user: `UPII${i}`, channel: `DPII${i}` }));
        expect((await postSlack(base, body, 'application/json')).status).toBe(200);
        const deadline = Date.now() + 10_000;
        while (postsTo(`DPII${i}`).length < posts && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 10));
      };
      for (const [i, v] of VARIANTS.entries()) {
        await send(i, ADD_EVIDENCE.zh, 1);
        await send(i, v[0], 2);
      }
      // Every turn has posted all it had to post.
      for (let seen = -1; seen !== api.raw.calls.length;) {
        seen = api.raw.calls.length;
        await new Promise((r) => setTimeout(r, 300));
      }
      const wrongWarnings = VARIANTS.flatMap((v, i) => {
        const warned = postsTo(`DPII${i}`).some((c) => WARNING.some((w) => shownText(c).includes(w)));
        return warned === warns(v) ? [] : [`${warned ? 'warned' : 'no warning'}: ${v[0]}`];
      });
      expect(wrongWarnings).toEqual([]);
      const posted = [
        ...api.raw.calls.map((c) => `${c.url} ${c.body}`),
        ...api.calls.map((c) => JSON.stringify(c.args)),
      ].join('\n');
      const stored = [...(storage as unknown as { items: Map<string, { json: string }> }).items.values()]
        .map((item) => item.json)
        .join('\n');
      for (const label of ['[password]', '[code]', '[phone]', '[id-card]', '[email]', '[card]'])
        expect(stored).toContain(label);
      expect([...leaks(posted, 'slack api'), ...leaks(stored, 'store')]).toEqual([]);
    } finally {
      await server.shutdown(1000);
      await api.close();
    }
  }, 120_000);

  it('logs: no line written above, nor any variant logged on purpose, holds any of it', () => {
    // The runs above logged at debug level: every HTTP request, every Slack Web API call with
    // the body it posted.
    expect(lines.some((l) => l.includes('"msg":"request"'))).toBe(true);
    expect(lines.some((l) => l.includes('http request body'))).toBe(true);
    const logger = createLogger({ service: 'coach' });
    for (const [input] of VARIANTS) {
      logger.debug(input, {
        text: input,
        nested: { list: [input, { deeper: input }] },
        error: new Error(`turn failed: ${input}`, { cause: new Error(input) }),
      });
      logger.child({ user: input }).warn(`for ${input}`);
    }
    expect(lines.length).toBeGreaterThan(VARIANTS.length * 2);
    for (const line of lines) {
      const entry = JSON.parse(line) as { level: unknown; time: unknown; msg: unknown };
      expect(['debug', 'info', 'warn', 'error']).toContain(entry.level);
      expect(typeof entry.msg).toBe('string');
      expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
    }
    expect(lines.join('\n')).toContain('[password]');
    expect(leaks(lines.join('\n'), 'logs')).toEqual([]);
  });
});
