/**
 * The interactive chat through a fake terminal: a welcome in the user's language, numbered
 * choices (typing the number picks one), /help, /lang, /reset with confirmation, /quit.
 */
import { PassThrough } from 'node:stream';
import { TerminalChannel } from '../../src/channels/terminal/terminalChannel';
import { runInteractive } from '../../src/cli/interactive';
import { createLogger } from '../../src/log/logger';
import { createApp } from '../../src/app/createApp';
import { MemoryStorage } from '../../src/storage/memoryStorage';

async function session(lines: string[], locale?: string): Promise<string> {
  const runtime = await createApp({
    storage: new MemoryStorage(),
    logger: createLogger({}, 'error'),
    seed: 1,
  });
  const channel = new TerminalChannel(runtime.app, { user: 'fake', locale });
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString('utf8')));
  const done = runInteractive(channel, { input, output, terminal: false }, false);
  for (const line of lines) input.write(`${line}\n`);
  input.end();
  await done;
  await runtime.close();
  return printed;
}

describe('interactive chat', () => {
  it('welcomes in the terminal’s language and numbers the choices', async () => {
    const zh = await session([], 'zh_CN.UTF-8');
    expect(zh).toContain('协商教练');
    expect(zh).toContain('[1] 制定协商计划');
    const en = await session([], 'en_US.UTF-8');
    expect(en).toContain('Negotiation Coach');
    expect(en).toContain('[1] Make a plan');
  });

  it('without a language in the terminal, welcomes in both and lets the user choose', async () => {
    const out = await session(['2']);
    expect(out).toContain('协商教练');
    expect(out).toContain('Negotiation Coach');
    expect(out).toContain('[1] 中文');
    expect(out).toContain('[2] English');
    expect(out).toContain("I'll reply in English");
  });

  it('picks a choice by its number', async () => {
    const out = await session(['支付宝拒绝了我', '3'], 'zh_CN.UTF-8');
    expect(out).toContain('→ 第三方调解');
    expect(out).toContain('12363');
  });

  it('handles /help, /lang, /reset with confirmation, and stops at /quit', async () => {
    const out = await session(
      ['/help', '/lang en', '支付宝拒绝了我', '/reset', 'Yes', '/quit', 'this line is never read'],
      'zh_CN.UTF-8',
    );
    expect(out).toContain('/roleplay');
    expect(out).toContain("I'll reply in English");
    expect(out).toContain('Start over?');
    expect(out).toContain('Cleared.');
    expect(out).not.toContain('never read');
  });
});
