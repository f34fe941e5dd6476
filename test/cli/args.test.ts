import { parseCli, UsageError } from '../../src/cli/args';

describe('command-line parsing', () => {
  it('chats by default, as user "local", with no forced language', () => {
    expect(parseCli([], {})).toEqual({ command: 'chat', json: false, options: { user: 'local' } });
  });

  it('reads --json, --user, --lang, --store and --seed', () => {
    expect(
      parseCli(['--json', '--user', 'shop-1', '--lang', 'en', '--store', 'memory', '--seed', '42'], {}),
    ).toEqual({
      command: 'chat',
      json: true,
      options: { user: 'shop-1', lang: 'en', store: 'memory', seed: 42 },
    });
  });

  it('takes the seed from COACH_SEED when --seed is absent', () => {
    expect(parseCli([], { COACH_SEED: '7' })).toMatchObject({ options: { seed: 7 } });
  });

  it('knows the subcommands', () => {
    expect(parseCli(['nlu'], {})).toMatchObject({ command: 'nlu' });
    expect(parseCli(['serve', '--store', 'sqlite:/tmp/x.db'], {})).toMatchObject({
      command: 'serve',
      options: { store: 'sqlite:/tmp/x.db' },
    });
    expect(parseCli(['slack'], {})).toMatchObject({ command: 'slack' });
    expect(parseCli(['plan', '--export', 'plan.md'], {})).toMatchObject({
      command: 'plan',
      export: 'plan.md',
    });
    expect(parseCli(['--help'], {})).toEqual({ command: 'help' });
  });

  it.each([
    [['--bogus'], /bogus/],
    [['--lang', 'fr'], /--lang must be zh or en/],
    [['--store', 'postgres://x'], /--store: unknown store/],
    [['--store', 'sqlite:'], /needs a file path/],
    [['--seed', 'abc'], /--seed must be a whole number/],
    [['--user', 'a b'], /--user/],
    [['--user'], /argument missing/],
    [['fly'], /unknown command "fly"/],
    [['nlu', 'extra'], /unexpected argument/],
    [['plan'], /needs --export/],
    [['--json', 'serve'], /--json does not go with/],
  ])('rejects %j with a one-line reason', (argv, reason) => {
    let error: unknown;
    try {
      parseCli(argv as string[], {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(reason as RegExp);
    expect((error as Error).message).not.toContain('\n');
  });
});
