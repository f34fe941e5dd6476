/**
 * `npm run bench`: what the coach costs on top of the bare Bot Framework runtime.
 * - NLU: classify latency p50/p99 (µs) over a fixed bilingual message mix;
 * - turn: an in-process full turn (NLU, dialogs, machines, memory store) p50/p99 (ms);
 * - HTTP: `coach serve` (on its default SQLite store, and on the memory store) against a bare
 *   botbuilder echo bot that keeps conversation state, on the same HTTP framework and body limit,
 *   same load (autocannon, expectReplies, conversations of 8 messages: plans, refusals, role-play
 *   turns), alternating, same run, at 16 and at 4 connections;
 * - cold start: process start to the first answered line of `coach --json`, against a process
 *   that requires botbuilder and answers the same way;
 * - memory: RSS after 10,000 conversations, stored bytes per user after a plan and a role-play.
 * Prints a table, or JSON with --json; exits 1 if a target is missed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { TerminalChannel } from '../src/channels/terminal/terminalChannel';
import { createLogger } from '../src/log/logger';
import { loadNlu } from '../src/nlu/loadNlu';
import { createApp } from '../src/app/createApp';
import { MemoryStorage } from '../src/storage/memoryStorage';
import { projectRoot } from '../src/util/paths';

const ROOT = projectRoot();
const JSON_OUT = process.argv.includes('--json');
const QUICK = process.argv.includes('--quick');
/**
 * `--connections N[,M]`: requests in flight at once in the HTTP part (default 16 and 4, each
 * with its own target). Fewer in flight means fewer turns sharing each SQLite commit.
 */
const CONNECTIONS = ((): number[] => {
  const i = process.argv.indexOf('--connections');
  const list =
    i >= 0
      ? String(process.argv[i + 1])
          .split(',')
          .map(Number)
      : [16, 4];
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) {
    process.stderr.write('bench: --connections must be whole numbers from 1 to 1000\n');
    process.exit(2);
  }
  return list;
})();
/** `--only http,turn`: run some parts (for profiling); a partial run never claims a pass. */
const ONLY = ((): Set<string> | null => {
  const i = process.argv.indexOf('--only');
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v ? new Set(v.split(',')) : null;
})();
const runs = (part: string): boolean => ONLY === null || ONLY.has(part);
/**
 * The stores `coach serve` runs on in the HTTP part: its default (a SQLite file, here in a
 * temporary directory) and the memory store, each against the same bare bot in the same rounds.
 * `--store default` or `--store memory` runs one of them only.
 */
type HttpStore = 'default' | 'memory';
const HTTP_STORES = ((): HttpStore[] => {
  const i = process.argv.indexOf('--store');
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  return v === 'default' || v === 'memory' ? [v] : ['default', 'memory'];
})();
const log = (s: string): void => {
  if (!JSON_OUT) process.stderr.write(`${s}\n`);
};

/**
 * Conversations as users have them, 8 messages each: a plan, a refusal and its paths, a
 * role-play (in Chinese and in English). Each HTTP conversation is one of these, in order.
 */
const CONVERSATIONS: readonly (readonly string[])[] = [
  ['帮我做个协商计划', '我是商家', '降手续费', '0.6%', '10万', '0.38%', '跳过', '微信支付'],
  [
    '支付宝拒绝了我',
    '投诉没人处理',
    '继续沟通',
    '我已经联系过支付宝了',
    '他们说可以降到0.5%',
    '怎么投诉到12363？',
    '详细',
    '谈成了，降到0.45%',
  ],
  [
    '模拟练习 费率 普通',
    '您好，我月流水10万，现在0.6%，每月手续费600元',
    '隔壁店谈到了0.45%',
    '我会一直把收款放在支付宝',
    '能不能先按0.5%试行一个季度？',
    '好，那就先这样试一个季度',
    '我到哪一步了',
    '谢谢',
  ],
  [
    'help me make a negotiation plan',
    "I'm a merchant",
    'Lower fees',
    '0.6%',
    '100k',
    '0.38%',
    'Skip',
    'WeChat Pay',
  ],
  [
    'Alipay refused my request',
    'a flat no',
    'Look at alternatives',
    'where am I',
    'more',
    'how do I complain to the central bank',
    'thanks',
    'bye',
  ],
];

/** A fixed bilingual mix of what users write. */
const MIX = [
  '你好',
  '支付宝手续费太高了，千分之六，能降吗',
  '我的账户被冻结了，客服不告诉我原因',
  '客服一直是机器人，根本找不到人工',
  '支付宝拒绝了我的降费申请',
  '帮我算一下，每月流水10万，从0.6%降到0.38%能省多少',
  '怎么投诉到12363？',
  '协商的步骤是什么',
  'hello',
  'Alipay fees are too high for my shop, 0.6% is a lot',
  'my account got frozen and nobody tells me why',
  'how do I complain to the central bank about Alipay',
  'they refused my request, what now',
  'what are the alternatives to Alipay for a small restaurant',
  "let's practice the negotiation, you play Alipay",
  "what's the weather like tomorrow",
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

function benchNlu(): { p50us: number; p99us: number; n: number } {
  const nlu = loadNlu();
  // Load both languages and let the JIT settle before measuring.
  for (let r = 0; r < 200; r++) for (const m of MIX) nlu.classify(m, 'zh');
  const times: number[] = [];
  const rounds = QUICK ? 100 : 500;
  for (let r = 0; r < rounds; r++) {
    for (const m of MIX) {
      const t = process.hrtime.bigint();
      // The classifier itself, not the cache of recent readings.
      nlu.classify(m, 'zh');
      times.push(Number(process.hrtime.bigint() - t) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  return { p50us: round(percentile(times, 50), 1), p99us: round(percentile(times, 99), 1), n: times.length };
}

async function benchTurns(): Promise<{ p50ms: number; p99ms: number; n: number }> {
  const runtime = await createApp({
    storage: new MemoryStorage(),
    logger: createLogger({}, 'error'),
    seed: 1,
  });
  const times: number[] = [];
  const users = QUICK ? 60 : 300;
  // The first users warm the JIT up (every code path compiled and optimised): the target is
  // the steady state of a running coach, not its first minute.
  const warmUsers = QUICK ? 10 : 50;
  for (let u = 0; u < users; u++) {
    const adapter = new TerminalChannel(runtime.app, { user: `turn-${u}` });
    // Whole conversations (plans, refusals, role-plays) and the mix of single questions.
    for (const m of [...(CONVERSATIONS[u % CONVERSATIONS.length] as readonly string[]), ...MIX]) {
      const t = process.hrtime.bigint();
      await adapter.send(m);
      if (u >= warmUsers) times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  await runtime.close();
  times.sort((a, b) => a - b);
  return { p50ms: round(percentile(times, 50), 3), p99ms: round(percentile(times, 99), 3), n: times.length };
}

async function benchMemory(): Promise<{
  rssMb: number;
  conversations: number;
  userStateBytes: number;
  conversationStateBytes: number;
}> {
  const storage = new MemoryStorage();
  const runtime = await createApp({ storage, logger: createLogger({}, 'error'), seed: 1 });
  // One user through a full plan and a role-play: how big is what we keep for them?
  const heavy = new TerminalChannel(runtime.app, { user: 'heavy' });
  for (const m of [
    'I run a restaurant, 100k a month on Alipay at 0.6%, I want 0.38%, help me plan',
    '补充证据和案例',
    '有半年的账单，隔壁店降到了0.45%',
    'roleplay fees normal',
    '您好，谢谢您抽空，我每个月流水10万，费率0.6%',
    '微信支付给我报了0.38%，我一直用支付宝，费率合理我会继续用',
    '能不能先按0.45%试行一个季度？',
    '结束',
  ]) {
    await heavy.send(m);
  }
  const items = (storage as unknown as { items: Map<string, { json: string }> }).items;
  const userStateBytes = Buffer.byteLength(items.get('user/terminal:heavy')?.json ?? '');
  const conversationStateBytes = Buffer.byteLength(
    items.get('conversation/terminal/terminal:heavy')?.json ?? '',
  );
  const conversations = QUICK ? 1000 : 10_000;
  for (let i = 0; i < conversations; i++) {
    const adapter = new TerminalChannel(runtime.app, { user: `mem-${i}` });
    await adapter.send(MIX[i % MIX.length] as string);
    await adapter.send(MIX[(i + 7) % MIX.length] as string);
  }
  global.gc?.();
  const rssMb = round(process.memoryUsage().rss / 1024 / 1024, 1);
  await runtime.close();
  return { rssMb, conversations, userStateBytes, conversationStateBytes };
}

function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = ready.exec(err);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.once('exit', (code) => reject(new Error(`process exited (${code}): ${err.slice(0, 500)}`)));
  });
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

/** A fresh directory for the SQLite file of each HTTP round (never the user's own data). */
function benchDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'coach-bench-'));
}

interface HttpResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  non2xx: number;
}

async function load(port: number, seconds: number, connections: number): Promise<HttpResult> {
  let conversations = 0;
  // Each connection goes through whole conversations: a new one every 8 requests.
  const steps = Array.from({ length: 8 }, (_, step) => ({
    method: 'POST' as const,
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req: { body?: unknown }, context: Record<string, unknown>) => {
      if (step === 0) context.n = ++conversations;
      const n = context.n as number;
      const script = CONVERSATIONS[n % CONVERSATIONS.length] as readonly string[];
      const body = {
        type: 'message',
        id: `a${n}-${step}`,
        text: script[step],
        channelId: 'emulator',
        serviceUrl: 'http://127.0.0.1:9',
        deliveryMode: 'expectReplies',
        conversation: { id: `c${n}` },
        from: { id: `u${n}` },
        recipient: { id: 'bot' },
      };
      return { ...req, body: JSON.stringify(body) };
    },
  }));
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: steps as unknown as autocannon.Request[],
  });
  return {
    rps: round(result.requests.average, 1),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** The name of a store's ratio check at a number of connections. */
const ratioCheck = (store: HttpStore, connections: number): string => `httpRatio_${store}_c${connections}`;

/** The throughput the coach must keep of the bare bot's, by requests in flight. */
const ratioTarget = (connections: number): number => (connections >= 16 ? 0.9 : 0.8);

interface HttpComparison {
  store: HttpStore;
  connections: number;
  coach: HttpResult;
  bare: HttpResult;
  /** Median of the per-round ratios of coach to bare requests per second. */
  ratio: number;
}

async function startServer(
  which: 'bare' | HttpStore,
  dataDir: string,
): Promise<{ proc: ChildProcess; port: number }> {
  if (which === 'bare')
    return startProcess([join(ROOT, 'dist/bench/bareEchoServer.js')], { PORT: '0' }, /listening on (\d+)/);
  return startProcess(
    [join(ROOT, 'bin/coach.js'), 'serve', ...(which === 'memory' ? ['--store', 'memory'] : [])],
    { PORT: '0', LOG_LEVEL: 'warn', COACH_DATA_DIR: dataDir },
    /listening on http:\/\/127\.0\.0\.1:(\d+)/,
  );
}

const average = (xs: HttpResult[]): HttpResult => ({
  rps: round(xs.reduce((s, x) => s + x.rps, 0) / xs.length, 1),
  p50ms: round(xs.reduce((s, x) => s + x.p50ms, 0) / xs.length, 2),
  p99ms: round(xs.reduce((s, x) => s + x.p99ms, 0) / xs.length, 2),
  errors: xs.reduce((s, x) => s + x.errors, 0),
  non2xx: xs.reduce((s, x) => s + x.non2xx, 0),
});

async function benchHttp(): Promise<{ coaches: HttpComparison[]; rounds: number }> {
  const seconds = QUICK ? 3 : 10;
  const rounds = QUICK ? 1 : 3;
  const coaches: HttpComparison[] = [];
  for (const connections of CONNECTIONS) {
    const results = new Map<'bare' | HttpStore, HttpResult[]>();
    for (let r = 0; r < rounds; r++) {
      // Each round loads the bare bot and then each coach back to back, on the same machine state.
      for (const which of ['bare', ...HTTP_STORES] as const) {
        const dataDir = benchDataDir();
        const { proc, port } = await startServer(which, dataDir);
        await load(port, QUICK ? 1 : 3, connections); // warm-up: let the JIT settle
        const res = await load(port, seconds, connections);
        results.set(which, [...(results.get(which) ?? []), res]);
        const name = which === 'bare' ? 'bare' : `coach (${which} store)`;
        log(
          `  http ${name} ${connections} connections, round ${r + 1}: ${res.rps} req/s, p50 ${res.p50ms} ms, p99 ${res.p99ms} ms, errors ${res.errors}, non-2xx ${res.non2xx}`,
        );
        await stop(proc);
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    const bare = results.get('bare') ?? [];
    for (const store of HTTP_STORES) {
      const coach = results.get(store) ?? [];
      // The median of the per-round ratios resists the noise of a small shared machine better
      // than a ratio of averages.
      const ratios = coach.map((x, i) => x.rps / (bare[i]?.rps ?? x.rps)).sort((p, q) => p - q);
      coaches.push({
        store,
        connections,
        coach: average(coach),
        bare: average(bare),
        ratio: round(percentile(ratios, 50), 3),
      });
    }
  }
  return { coaches, rounds };
}

/** Milliseconds from spawning a process to its first line on stdout. */
function firstLine(args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const proc = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    proc.stdout?.once('data', () => {
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      proc.stdin?.end();
    });
    proc.once('error', reject);
    proc.stdin?.write('hello\n');
  });
}

async function benchColdStart(): Promise<{ coachMs: number; bareMs: number; ratio: number; runs: number }> {
  const runs = QUICK ? 3 : 7;
  const coach: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await firstLine([join(ROOT, 'dist/bench/bareEchoCli.js')]));
    // As `coach --json` runs when not told: on its SQLite file (a new one, in a temporary directory).
    const dataDir = benchDataDir();
    coach.push(await firstLine([join(ROOT, 'bin/coach.js'), '--json'], { COACH_DATA_DIR: dataDir }));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const median = (xs: number[]): number =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  const c = round(median(coach), 0);
  const b = round(median(bare), 0);
  return { coachMs: c, bareMs: b, ratio: round(c / b, 2), runs };
}

const TARGETS = {
  httpRatio16: 0.9,
  httpRatio4: 0.8,
  coldStartRatio: 1.2,
  turnP99Ms: 2,
  nluP99Us: 1000,
  userStateBytes: 8 * 1024,
};

async function main(): Promise<void> {
  // HTTP first, while this process (the load generator) holds nothing else: the in-process
  // parts load the model and a runtime here, and their heap would slow the load generator.
  const http = runs('http')
    ? (log('HTTP (alternating bare echo and coach serve)…'), await benchHttp())
    : undefined;
  const nlu = runs('nlu') ? (log('NLU…'), benchNlu()) : undefined;
  const turn = runs('turn') ? (log('turns…'), await benchTurns()) : undefined;
  const coldStart = runs('cold') ? (log('cold start…'), await benchColdStart()) : undefined;
  const memory = runs('memory') ? (log('memory…'), await benchMemory()) : undefined;
  const checks: Record<string, boolean> = {};
  for (const c of http?.coaches ?? []) {
    checks[ratioCheck(c.store, c.connections)] =
      c.ratio >= ratioTarget(c.connections) && c.coach.errors === 0 && c.coach.non2xx === 0;
  }
  if (coldStart) checks.coldStart = coldStart.ratio <= TARGETS.coldStartRatio;
  if (turn) checks.turnP99 = turn.p99ms <= TARGETS.turnP99Ms;
  if (nlu) checks.nluP99 = nlu.p99us <= TARGETS.nluP99Us;
  if (memory) checks.userState = memory.userStateBytes <= TARGETS.userStateBytes;
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
  };
  const report = {
    machine,
    nlu,
    turn,
    http,
    coldStart,
    memory,
    targets: TARGETS,
    pass: checks,
  };
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const ok = (b: boolean | undefined): string => (b ? 'ok ' : 'MISS');
    const rows: string[][] = [];
    if (nlu)
      rows.push([
        'NLU classify',
        `p50 ${nlu.p50us} µs, p99 ${nlu.p99us} µs (${nlu.n} calls)`,
        `p99 ≤ ${TARGETS.nluP99Us} µs`,
        ok(checks.nluP99),
      ]);
    if (turn)
      rows.push([
        'Turn in-process',
        `p50 ${turn.p50ms} ms, p99 ${turn.p99ms} ms (${turn.n} turns)`,
        `p99 ≤ ${TARGETS.turnP99Ms} ms`,
        ok(checks.turnP99),
      ]);
    if (http) {
      for (const c of http.coaches) {
        const check = checks[ratioCheck(c.store, c.connections)];
        rows.push(
          [
            `HTTP ${c.connections} conn.`,
            `bare ${c.bare.rps} req/s; coach (${c.store}) ${c.coach.rps} req/s, p99 ${c.coach.p99ms} ms, errors ${c.coach.errors + c.coach.non2xx}`,
            '',
            '',
          ],
          [
            `  ratio (${c.store})`,
            `${c.ratio} of the bare bot's throughput (median of ${http.rounds} rounds, ${c.store === 'default' ? 'SQLite file' : 'memory'} store)`,
            `≥ ${ratioTarget(c.connections)}, no errors`,
            ok(check),
          ],
        );
      }
    }
    if (coldStart)
      rows.push([
        'Cold start',
        `coach ${coldStart.coachMs} ms vs bare ${coldStart.bareMs} ms = ${coldStart.ratio}×`,
        `≤ ${TARGETS.coldStartRatio}×`,
        ok(checks.coldStart),
      ]);
    if (memory)
      rows.push(
        ['Memory', `RSS ${memory.rssMb} MB after ${memory.conversations} conversations`, '', ''],
        [
          'Stored state',
          `user ${memory.userStateBytes} B, conversation ${memory.conversationStateBytes} B`,
          `user ≤ ${TARGETS.userStateBytes} B`,
          ok(checks.userState),
        ],
      );
    const w = [19, 70, 22];
    process.stdout.write(
      `Machine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}\n`,
    );
    for (const r of rows)
      process.stdout.write(
        `${(r[0] ?? '').padEnd(w[0] as number)} ${(r[1] ?? '').padEnd(w[1] as number)} ${(r[2] ?? '').padEnd(w[2] as number)} ${r[3]}\n`,
      );
    if (ONLY) process.stdout.write('(partial run: --only)\n');
  }
  // A partial run reports but never passes: the targets are judged on the whole run.
  if (ONLY || !Object.values(checks).every(Boolean)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exitCode = 1;
});
