import { GroupCommit, type Outcome } from '../../src/storage/groupCommit';

/** A commit function that records each batch and fails the ops named in `refuse`. */
function recorder(refuse: Set<string> = new Set()) {
  const batches: string[][] = [];
  const commit = (ops: readonly string[]): Outcome[] => {
    batches.push([...ops]);
    return ops.map((op) => (refuse.has(op) ? new Error(`refused ${op}`) : undefined));
  };
  return { batches, commit };
}

describe('GroupCommit', () => {
  it('commits the changes of one loop turn together, in the order they came', async () => {
    const { batches, commit } = recorder();
    const group = new GroupCommit(commit);
    await Promise.all([group.submit('take c1'), group.submit('write c0'), group.submit('give c0')]);
    expect(batches).toEqual([['take c1', 'write c0', 'give c0']]);
  });

  it('tells each submitter its own outcome: one refused change does not fail the others', async () => {
    const { commit } = recorder(new Set(['b']));
    const group = new GroupCommit(commit);
    const results = await Promise.allSettled([group.submit('a'), group.submit('b'), group.submit('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused b');
  });

  it('fails every change of a batch that could not be committed, and goes on with the next', async () => {
    let broken = true;
    const group = new GroupCommit<string>((ops) => {
      if (broken) throw new Error('disk full');
      return ops.map(() => undefined);
    });
    const results = await Promise.allSettled([group.submit('a'), group.submit('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    broken = false;
    await expect(group.submit('c')).resolves.toBeUndefined();
  });

  it('puts a change made while its batch settles into the next batch', async () => {
    const { batches, commit } = recorder();
    const group = new GroupCommit(commit);
    await group.submit('first').then(() => group.submit('second'));
    expect(batches).toEqual([['first'], ['second']]);
  });

  it('commits what is queued at once when flushed (before the store closes)', async () => {
    const { batches, commit } = recorder();
    const group = new GroupCommit(commit);
    const pending = group.submit('last');
    expect(group.size).toBe(1);
    group.flush();
    expect(batches).toEqual([['last']]);
    await expect(pending).resolves.toBeUndefined();
  });
});
