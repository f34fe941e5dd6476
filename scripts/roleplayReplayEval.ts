/**
 * `npm run roleplay:replay`: replays the judged role-plays of test/roleplay/transcripts/ through
 * the coach (scripts/roleplayReplay.ts) and reports, for the dev and the held-out transcripts
 * separately, what a user would notice: the debrief's score against the judged score (Spearman,
 * pairs one level apart in order), the outcome, how many lines with a rate or an amount were
 * answered with a number, sentences repeated within a role-play and words put in the user's mouth.
 * The held-out transcripts are only reported, never tuned on. Writes the same as JSON
 * (generated/roleplay-replay.json, or --out FILE).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadTranscripts } from '../src/roleplay/skillEval';
import { generatedDir, projectRoot } from '../src/util/paths';
import { replayTranscripts, type ReplayMetrics } from './roleplayReplay';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function report(name: string, m: ReplayMetrics): string[] {
  return [
    `${name} (n=${m.n})`,
    `  score vs judged: Spearman ${m.spearman.toFixed(3)}; one level apart in order ${pct(m.oneApartOrdered)} of ${m.oneApartPairs}`,
    `  outcome as judged: ${pct(m.outcomeMatch)}`,
    `  lines with a rate or an amount answered with a number: ${m.numbersAnswered}/${m.numberLines}`,
    `  sentences repeated within a role-play: ${m.repeats}; words put in the user's mouth: ${m.invented}`,
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 && args[outAt + 1] ? args[outAt + 1]! : join(generatedDir(), 'roleplay-replay.json');
  const all = loadTranscripts(join(projectRoot(), 'test', 'roleplay', 'transcripts'));
  const result: Record<string, Omit<ReplayMetrics, 'results'> & { results: unknown[] }> = {};
  for (const split of ['dev', 'heldout'] as const) {
    const m = await replayTranscripts(all.filter((t) => t.split === split));
    console.log(report(split, m).join('\n'));
    result[split] = {
      ...m,
      // Held-out replies are not printed or kept line by line: only their numbers.
      results: m.results.map((r) =>
        split === 'dev'
          ? r
          : { file: r.file, level: r.level, judged: r.judged, score: r.score, outcome: r.outcome },
      ),
    };
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`→ ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
