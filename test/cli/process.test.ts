/**
 * The `coach` command as scripts use it (CONTRACTS sections 1–3): a real process, stdin in,
 * stdout out. stdout carries only the JSON lines.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp';

const BIN = join(__dirname, '../../bin/coach.js');

function coach(args: string[], input: string | Buffer, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('coach --json', () => {
  it('ends a line only at \\n or \\r\\n: a lone \\r stays inside the message', () => {
    const r = coach(['--json', '--store', 'memory'], '你好\r还有一件事\nhello\r\n');
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.input)).toEqual(['你好\r还有一件事', 'hello']);
  });

  it('prints exactly one JSON object per input line, in order, and nothing else', () => {
    const r = coach(['--json', '--store', 'memory'], '你好\nhello\n\n');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    const [zh, en, empty] = lines.map(
      (l) =>
        JSON.parse(l) as {
          input: string;
          lang: string;
          replies: { text: string }[];
          intent: unknown;
          stage: string;
          mode: string;
        },
    );
    expect(zh?.input).toBe('你好');
    expect(zh?.lang).toBe('zh');
    expect(zh?.replies[0]?.text).toMatch(/[\u4e00-\u9fff]/);
    expect(en?.lang).toBe('en');
    expect(en?.replies[0]?.text).toMatch(/Negotiation Coach/);
    expect(empty?.input).toBe('');
    expect(empty?.intent).toBeNull();
    expect(empty?.replies[0]?.text).toMatch(/empty/);
    for (const line of [zh, en, empty]) {
      expect(line).toMatchObject({ stage: 'planning', mode: 'coach' });
      expect(Object.keys(line ?? {})).toEqual(
        expect.arrayContaining([
          'input',
          'replies',
          'intent',
          'confidence',
          'entities',
          'lang',
          'mode',
          'stage',
        ]),
      );
    }
  });

  it('answers invalid UTF-8, control characters and a very long line, and goes on', () => {
    const input = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0x41, 0x0a]),
      Buffer.from('\u0001\u0002\n'),
      Buffer.from(`${'长'.repeat(5000)}\n`),
      Buffer.from('hello\n'),
    ]);
    const r = coach(['--json', '--store', 'memory'], input);
    expect(r.status).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(4);
    expect(JSON.stringify(lines[0])).toMatch(/UTF-8/);
    expect(JSON.stringify(lines[1])).toMatch(/control characters|控制字符/);
    expect(JSON.stringify(lines[2])).toMatch(/太长/);
    expect(lines[3]?.intent).toBe('greet');
  });

  it('keeps state in a SQLite file between processes, per user', () => {
    const t = tempDir();
    const store = `sqlite:${join(t.dir, 'x.db')}`;
    const first = jsonLines(
      coach(['--json', '--store', store, '--user', 'alice'], '支付宝拒绝了我\n').stdout,
    );
    expect(first[0]?.stage).toBe('refused');
    const again = jsonLines(coach(['--json', '--store', store, '--user', 'alice'], '第三方调解\n').stdout);
    expect(again[0]?.stage).toBe('mediation');
    const other = jsonLines(coach(['--json', '--store', store, '--user', 'bob'], '/status\n').stdout);
    expect(other[0]?.stage).toBe('planning');
    t.cleanup();
  });

  it('uses the default SQLite file under COACH_DATA_DIR, created on first use', () => {
    const t = tempDir();
    const dir = join(t.dir, 'fresh', 'data');
    coach(['--json'], '支付宝拒绝了我\n', { COACH_DATA_DIR: dir, STORAGE_URL: '' });
    const r = jsonLines(coach(['--json'], '/status\n', { COACH_DATA_DIR: dir, STORAGE_URL: '' }).stdout);
    expect(r[0]?.stage).toBe('refused');
    t.cleanup();
  });

  it('forces the reply language with --lang', () => {
    const lines = jsonLines(coach(['--json', '--store', 'memory', '--lang', 'en'], '你好\n').stdout);
    expect(lines[0]?.lang).toBe('en');
  });

  it('repeats a role-play exactly with --seed', () => {
    const script = 'roleplay fees normal\n您好，谢谢您\n我每月流水10万，费率0.6%\n';
    const a = coach(['--json', '--store', 'memory', '--seed', '42'], script).stdout;
    const b = coach(['--json', '--store', 'memory', '--seed', '42'], script).stdout;
    expect(a).toBe(b);
  });
});

describe('coach nlu', () => {
  it('writes one reading per line: text, lang, intent, confidence, entities', () => {
    const r = coach(['nlu'], '支付宝手续费千分之六太高了，每月流水5万\nhow do I complain to 12363?\n');
    expect(r.status).toBe(0);
    const [fees, mediation] = jsonLines(r.stdout);
    expect(fees).toMatchObject({ lang: 'zh', intent: 'fees', entities: { rates: [0.6], amounts: [50000] } });
    expect(Object.keys(fees ?? {})).toEqual(['text', 'lang', 'intent', 'confidence', 'entities']);
    expect(mediation).toMatchObject({ lang: 'en', intent: 'mediation' });
  });
});

describe('bad usage', () => {
  it.each([[['--bogus']], [['--lang', 'fr']], [['--store', 'ftp://x']], [['fly']]])(
    'exits 2 with a one-line reason for %j',
    (args) => {
      const r = coach(args as string[], '');
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );
});
