/**
 * A Bot Framework middleware that watches every turn for operations: how long it took, which
 * intent it was, whether it failed. Channel-neutral; `coach serve` feeds it into its metrics.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { getTurnSummary, type TurnSummary } from './turnInfo';

export interface TurnObservation {
  channel: string;
  seconds: number;
  summary: TurnSummary | undefined;
  error?: unknown;
}

export class TurnObserver implements Middleware {
  constructor(private readonly observe: (o: TurnObservation) => void) {}

  // Promise callbacks rather than an async function: middleware runs on every turn, and each
  // async layer adds its own promise and scheduling round to it.
  onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const started = process.hrtime.bigint();
    const channel = context.activity.channelId ?? 'unknown';
    return next().then(
      () => {
        if (context.activity.type === 'message') {
          this.observe({ channel, seconds: elapsed(started), summary: getTurnSummary(context) });
        }
      },
      (error: unknown) => {
        this.observe({ channel, seconds: elapsed(started), summary: getTurnSummary(context), error });
        throw error;
      },
    );
  }
}

function elapsed(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
