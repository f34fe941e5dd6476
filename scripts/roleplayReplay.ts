/**
 * Replays the judged role-plays (test/roleplay/transcripts/) through the coach as a user would:
 * a new user on the terminal channel starts the scene (`/roleplay <scenario> <difficulty>`),
 * sends each user line, and ends it with `/end` if it is still running after the last line. What
 * is measured is what the user would get and notice:
 * - the debrief's score against the judged score (Spearman; pairs one level apart in order);
 * - the outcome against the judged outcome;
 * - lines with a rate or an amount whose reply has a number in it;
 * - sentences the representative repeats within a role-play (none allowed);
 * - words put in the user's mouth: a quote after "您说的 / 您提到的 / you said" that is not in
 *   what the user wrote (none allowed).
 * Used by `npm run roleplay:replay` (scripts/roleplayReplayEval.ts) and test/roleplay/replay.test.ts.
 */
import { createApp } from '../src/app/createApp';
import { TerminalChannel } from '../src/channels/terminal/terminalChannel';
import { createLogger } from '../src/log/logger';
import { readMove } from '../src/roleplay/moves';
import { sentences } from '../src/roleplay/engine';
import { rankAgreement, type Transcript } from '../src/roleplay/skillEval';
import { MemoryStorage } from '../src/storage/memoryStorage';

export interface ReplayResult {
  file: string;
  level: number;
  judged: number;
  score: number;
  outcome: string;
  expected: string;
  /** User lines with a rate or an amount, and how many replies to them had a number. */
  numberLines: number;
  numbersAnswered: number;
  repeats: string[];
  invented: string[];
  /** The representative's replies, for reading. */
  replies: string[];
}

export interface ReplayMetrics {
  n: number;
  spearman: number;
  oneApartPairs: number;
  oneApartOrdered: number;
  outcomeMatch: number;
  numbersAnswered: number;
  numberLines: number;
  repeats: number;
  invented: number;
  results: ReplayResult[];
}

const QUOTED =
  /(?:您说的|您刚才说的|您提到的|你说的|you said|you mentioned)\s*[「“"‘']([^」”"’']+)[」”"’']/gi;

/** Quotes attributed to the user that are not in anything the user wrote. */
export function inventedQuotes(reply: string, userLines: readonly string[]): string[] {
  const said = userLines.join('\n').toLowerCase();
  return [...reply.matchAll(QUOTED)]
    .map((m) => (m[1] ?? '').trim())
    .filter((q) => q && !said.includes(q.toLowerCase()));
}

async function replayOne(t: Transcript, seed: number): Promise<ReplayResult> {
  const runtime = await createApp({
    storage: new MemoryStorage(),
    seed,
    logger: createLogger({}, 'error'),
  });
  const chat = new TerminalChannel(runtime.app, { user: `replay-${t.file}`, forceLang: t.lang });
  await chat.send(`/roleplay ${t.scenario} ${t.difficulty}`);
  const replies: string[] = [];
  const userLines: string[] = [];
  let debrief: { score: number; outcome: string } | undefined;
  let numberLines = 0;
  let numbersAnswered = 0;
  for (const turn of t.turns) {
    const sent = await chat.send(turn.text);
    userLines.push(turn.text);
    const rep = sent.replies
      .map((r) => r.text)
      .filter((x) => x.startsWith('【'))
      .map((x) => x.replace(/^【[^】]*】/, ''));
    replies.push(...rep);
    const move = readMove(turn.text, t.lang, t.scenario);
    if (move.numbers.some((n) => n.kind === 'rate' || n.kind === 'amount')) {
      numberLines++;
      if (rep.some((r) => /\d/.test(r))) numbersAnswered++;
    }
    debrief = sent.summary.debrief as typeof debrief;
    if (debrief) break;
  }
  if (!debrief) debrief = (await chat.send('/end')).summary.debrief as typeof debrief;
  await runtime.close();
  const seen = new Set<string>();
  const repeats: string[] = [];
  for (const r of replies)
    for (const s of sentences(r)) {
      const key = s.replace(/\s+/g, '').toLowerCase();
      if (seen.has(key)) repeats.push(s);
      seen.add(key);
    }
  return {
    file: t.file,
    level: t.level,
    judged: t.judged_score,
    score: debrief?.score ?? 0,
    outcome: debrief?.outcome ?? 'none',
    expected: t.expected_outcome,
    numberLines,
    numbersAnswered,
    repeats,
    invented: replies.flatMap((r) => inventedQuotes(r, userLines)),
    replies,
  };
}

export async function replayTranscripts(
  transcripts: readonly Transcript[],
  seed = 1,
): Promise<ReplayMetrics> {
  const results: ReplayResult[] = [];
  for (const t of transcripts) results.push(await replayOne(t, seed));
  const numberLines = results.reduce((s, r) => s + r.numberLines, 0);
  return {
    n: results.length,
    ...rankAgreement(results),
    outcomeMatch: results.filter((r) => r.outcome === r.expected).length / Math.max(1, results.length),
    numbersAnswered: results.reduce((s, r) => s + r.numbersAnswered, 0),
    numberLines,
    repeats: results.reduce((s, r) => s + r.repeats.length, 0),
    invented: results.reduce((s, r) => s + r.invented.length, 0),
    results,
  };
}
