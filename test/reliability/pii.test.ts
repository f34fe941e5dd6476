/**
 * Personal data never reaches storage or logs: shown on what is actually stored and logged
 * after real conversations, not only on the masking function.
 */
import { routeConsoleTo } from '../../src/cli/serve';
import { createLogger, setLogSink } from '../../src/log/logger';
import { maskDeep, maskPii, luhnValid } from '../../src/privacy/pii';
import { MaskingStorage } from '../../src/storage/maskingStorage';
import { MemoryStorage } from '../../src/storage/memoryStorage';
import { testChat } from '../helpers/runtime';

const PHONE = '13812345678';
const ID_CARD = '11010119900307123X';
const CARD = '4111111111111111'; // passes Luhn
const EMAIL = 'shop.owner@example.com';

async function everythingStored(storage: MemoryStorage): Promise<string> {
  const dump = (storage as unknown as { items: Map<string, { json: string }> }).items;
  return [...dump.entries()].map(([k, v]) => `${k} ${v.json}`).join('\n');
}

describe('personal data', () => {
  it('is masked by the masker for each kind', () => {
    expect(luhnValid(CARD)).toBe(true);
    expect(maskPii(`电话${PHONE}，身份证${ID_CARD}，卡号${CARD}，邮箱${EMAIL}`)).toBe(
      '电话[phone]，身份证[id-card]，卡号[card]，邮箱[email]',
    );
    expect(maskPii('我的密码是abc12345，验证码 384920')).toBe('我的密码是[password]，验证码 [code]');
    expect(maskPii('客服电话95188，投诉打12363，流水100000元，费率0.6%')).toBe(
      '客服电话95188，投诉打12363，流水100000元，费率0.6%',
    );
  });

  it('is masked in bounded time on the longest message, however its numbers are grouped', () => {
    // A run of thousands of digit groups once took a minute: candidates now end at 19 digits.
    for (const text of [
      '1 '.repeat(2000),
      '13-'.repeat(1300),
      '1234 '.repeat(800),
      'a@' + 'aa.'.repeat(1300),
    ]) {
      const started = Date.now();
      maskPii(text);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('is masked deep inside stored records, without touching the record the turn holds', () => {
    const record = {
      profile: { facts: { business: `饭店 ${PHONE}`, currentRate: 0.6 }, notes: ['ok', `卡 ${CARD}`] },
      clean: { zh: '支付宝', n: 12363 },
    };
    const before = JSON.stringify(record);
    const masked = maskDeep(record);
    expect(JSON.stringify(masked)).toBe(before.replace(PHONE, '[phone]').replace(CARD, '[card]'));
    expect(JSON.stringify(record)).toBe(before);
    // What needed no masking is shared, not copied; a clean record comes back as it is.
    expect(masked.clean).toBe(record.clean);
    expect(maskDeep(record.clean)).toBe(record.clean);
  });

  it('is masked every time in long stored texts, clean ones and others alike', () => {
    const clean = '按0.6%算，月流水10万每月600元；2021-08-01起小微商户9折，可打95188或投诉到12363。'.repeat(
      3,
    );
    const personal = `${clean} 联系我 ${PHONE}`;
    for (let i = 0; i < 3; i++) {
      expect(maskDeep({ a: clean }).a).toBe(clean);
      expect(maskDeep({ a: personal }).a).toBe(`${clean} 联系我 [phone]`);
    }
  });

  it('is masked on the way into any store, while the eTag passes untouched', async () => {
    const inner = new MemoryStorage();
    const store = new MaskingStorage(inner);
    await store.write({ k: { note: `call ${PHONE}` } });
    const { eTag } = (await inner.read(['k'])).k as { eTag: string };
    // An eTag is an id the store checks, never personal data, whatever digits it holds.
    const item = { note: `card ${CARD}`, eTag };
    await store.write({ k: item });
    const stored = (await inner.read(['k'])).k as { note: string };
    expect(stored.note).toBe('card [card]');
    expect(item.note).toBe(`card ${CARD}`);
    await expect(store.write({ k: { note: 'stale', eTag } })).rejects.toThrow(/eTag conflict/);
  });

  it('never reaches the store: plan slots, dialog state and debrief quotes are masked', async () => {
    const storage = new MemoryStorage();
    const chat = await testChat({ storage });
    await chat.say('帮我做个协商计划');
    await chat.say('我是商家');
    await chat.say('降手续费');
    await chat.say('0.6%');
    await chat.say('每月10万');
    await chat.say('0.38%');
    await chat.say(`证据：账单发到 ${EMAIL}，联系电话 ${PHONE}，身份证 ${ID_CARD}`);
    await chat.say('roleplay fees easy');
    await chat.say(`您好，我的卡号是 ${CARD}，每月流水10万，谢谢您`);
    await chat.say('结束');
    const stored = await everythingStored(storage);
    expect(stored).toContain('[email]');
    for (const secret of [PHONE, ID_CARD, CARD, EMAIL]) expect(stored).not.toContain(secret);
  });

  it('is masked before a waiting prompt reads it: the plan shows the answer back masked', async () => {
    const chat = await testChat();
    for (const text of [
      '帮我做个协商计划',
      '我是商家',
      '降手续费',
      '0.6%',
      '每月10万',
      '0.38%',
      '跳过',
      '跳过',
    ])
      await chat.say(text);
    // The last question of the plan (how to contact Alipay) is shown back in the plan itself.
    const said = await chat.say(`打电话，我的手机 ${PHONE}`);
    expect(said.text).toContain('打电话，我的手机 [phone]');
    expect(said.text).not.toContain(PHONE);
  });

  it('warns about a password or a code, and keeps neither', async () => {
    const storage = new MemoryStorage();
    const chat = await testChat({ storage });
    const said = await chat.say('客服让我把验证码 482913 发给他，还要我的支付密码是 pay8888');
    expect(said.texts[0]).toContain('不要告诉任何人');
    expect(said.texts[0]).toContain('支付宝工作人员');
    const stored = await everythingStored(storage);
    expect(stored).not.toContain('482913');
    expect(stored).not.toContain('pay8888');
  });

  it('never reaches the logs: message, fields at any depth, child bindings, errors and their causes', () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    try {
      const logger = createLogger({ service: 'coach' }, 'debug').child({ note: `电话 ${PHONE}` });
      const cause = new Error(`card ${CARD}`);
      logger.error(`failed for ${PHONE}`, {
        deep: { list: [{ email: EMAIL }], id: `身份证 ${ID_CARD}` },
        error: new Error(`user ${EMAIL}`, { cause }),
      });
    } finally {
      setLogSink(undefined);
    }
    expect(lines).toHaveLength(1);
    const all = lines.join('\n');
    for (const label of ['[phone]', '[card]', '[email]', '[id-card]']) expect(all).toContain(label);
    for (const secret of [PHONE, CARD, EMAIL, ID_CARD]) expect(all).not.toContain(secret);
    // One JSON object a line: the level by name, ISO time, the message; errors with their stack
    // and chain of causes.
    const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown> & {
      error: { type: string; message: string; stack: string; cause: { message: string; stack: string } };
    };
    expect(entry).toMatchObject({
      level: 'error',
      msg: 'failed for [phone]',
      service: 'coach',
      note: '电话 [phone]',
    });
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
    expect(entry.error).toMatchObject({
      type: 'Error',
      message: 'user [email]',
      cause: { message: 'card [card]' },
    });
    expect(entry.error.stack).toMatch(/^Error: user \[email\]\n\s+at /);
    expect(entry.error.cause.stack).toMatch(/^Error: card \[card\]\n\s+at /);
  });

  it('is masked in JSON a dependency logs with \\u escapes', () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    try {
      const body = JSON.stringify({ text: '验证码是 482913' }).replace(
        /[^\x20-\x7e]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      createLogger({}, 'debug').debug(`http request body: ${body}`);
    } finally {
      setLogSink(undefined);
    }
    expect(lines.join('\n')).not.toContain('482913');
    expect(lines.join('\n')).toContain('[code]');
  });

  it('is masked by the same hooks in a server, where console output of dependencies becomes log lines', () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    const saved = {
      log: console.log,
      info: console.info,
      warn: console.warn,
      error: console.error,
      debug: console.debug,
    };
    try {
      routeConsoleTo(createLogger({ service: 'coach' }, 'info'));
      console.log('natural: loaded for %s', `user ${PHONE}`);
      console.debug('below the level');
      console.error(new Error(`botbuilder: failed for ${EMAIL}`));
    } finally {
      Object.assign(console, saved);
      setLogSink(undefined);
    }
    expect(lines).toHaveLength(2);
    const [log, error] = lines.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(log).toMatchObject({ level: 'info', msg: 'natural: loaded for user [phone]', service: 'coach' });
    expect(error?.level).toBe('error');
    expect(error?.msg).toMatch(/^Error: botbuilder: failed for \[email\]\n/);
  });

  it('loads pino only when a line is written at an enabled level', () => {
    jest.isolateModules(() => {
      let loaded = 0;
      jest.doMock('pino', () => {
        loaded++;
        return jest.requireActual('pino');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module registry
      const log = require('../../src/log/logger') as typeof import('../../src/log/logger');
      const lines: string[] = [];
      log.setLogSink((line) => lines.push(line));
      const logger = log.createLogger({ service: 'coach' }, 'warn').child({ turn: 1 });
      logger.debug('not written');
      logger.info('not written');
      expect(loaded).toBe(0);
      logger.warn('written');
      logger.error('written too');
      expect(loaded).toBe(1);
      expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn', 'error']);
    });
  });
});
