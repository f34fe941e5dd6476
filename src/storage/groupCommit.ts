/**
 * Group commit: changes submitted during one turn of the event loop are applied together, in
 * submission order, by one call of `commit` (for SQLite, one transaction), and each submitter
 * learns its own outcome after that call returns.
 *
 * Why: a SQLite commit costs far more than the statements inside it (a WAL append and the file
 * locks, tens of µs), and a coach turn makes three changes (take its leases, write its state,
 * give the leases back). Under load many turns are in flight at once, so their changes can share
 * one commit instead of paying for three each. A lone turn waits at most one loop turn longer.
 */

/** What `commit` reports for each op: `undefined` when it took effect, else the error. */
export type Outcome = Error | undefined;

interface Pending<Op> {
  op: Op;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<Op> {
  private pending: Pending<Op>[] = [];
  private scheduled = false;

  /**
   * `commit` applies every op, in order, all at once; it returns one outcome per op, or throws
   * when none of them took effect (then each submitter gets that error).
   */
  constructor(private readonly commit: (ops: readonly Op[]) => Outcome[]) {}

  /** Queues `op` for the next commit; settles once that commit is done. */
  submit(op: Op): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O of this loop turn: every request that arrived with it has had its say.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is queued now (also what a scheduled flush does). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.commit(batch.map((p) => p.op));
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) p.resolve();
      else p.reject(outcome);
    });
  }

  /** Ops waiting for the next commit. */
  get size(): number {
    return this.pending.length;
  }
}
