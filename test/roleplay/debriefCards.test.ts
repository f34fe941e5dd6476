/**
 * The debrief and /progress as the channels draw them (Adaptive Card, Slack blocks, App Home,
 * text): tips numbered 1, 2, 3; the outcome in the user's language; "1 turn"; a skill not used
 * shown as 0; the per-turn notes; first against latest with a chart per skill and the next drill.
 */
import { debriefCard, progressAdaptiveCard } from '../../src/channels/botframework/adaptiveCards';
import { homeView, toSlackMessage, type HomeCard } from '../../src/channels/slack/blocks';
import { progressCard } from '../../src/conversation/roleplay';
import { buildDebrief, type Debrief, type TurnRecord } from '../../src/roleplay/debrief';
import { addPractice, practiceEntry } from '../../src/roleplay/progress';
import { skillName } from '../../src/roleplay/skillDisplay';
import { SKILLS } from '../../src/roleplay/skillModel';
import type { PracticeEntry } from '../../src/state/profile';
import { uiTexts } from '../helpers/texts';

const texts = uiTexts();

const turn = (q: string, shown: Partial<Record<(typeof SKILLS)[number], number>>, m = 0): TurnRecord => ({
  q,
  k: SKILLS.map((s) => shown[s] ?? 0),
  m,
  a: 'argue',
});

function debrief(
  lang: 'zh' | 'en',
  record: TurnRecord[],
  outcome: Debrief['outcome'] = 'abandoned',
): Debrief {
  return buildDebrief(
    texts,
    { scenario: 'fees', difficulty: 'normal', outcome, record, finalRate: null, terms: [] },
    lang,
  );
}

/** Every string in a card or block tree. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

describe('the debrief as a card', () => {
  const zh = debrief('zh', [turn('我们每月流水10万，费率0.6%。', { data: 90 }), turn('你们等着瞧！', {}, 1)]);

  it('Adaptive Card: tips numbered 1, 2, 3 (never all "1."), outcome in Chinese, per-turn notes', () => {
    const body = strings(debriefCard(texts, { kind: 'debrief', lang: 'zh', ...zh }).content);
    expect(zh.tips).toHaveLength(3);
    zh.tips.forEach((t, i) => expect(body).toContain(`${i + 1}.\u00a0${t.text}`));
    expect(body).toContain(texts.t('roleplay.outcome.abandoned', 'zh'));
    expect(body.join('\n')).not.toMatch(/\babandoned\b/);
    for (const a of zh.annotations!) expect(body.join('\n')).toContain(a.note);
    expect(body).toContain(texts.t('roleplay.debrief.firmer_one', 'zh'));
  });

  it('Slack blocks: the same, numbered tips and the outcome in the user’s language', () => {
    const message = toSlackMessage(texts, {
      text: '',
      actions: [],
      card: { kind: 'debrief', lang: 'zh', ...zh },
    });
    const shown = strings(message.blocks).join('\n');
    zh.tips.forEach((t, i) => expect(shown).toContain(`${i + 1}. `));
    expect(shown).toContain(texts.t('roleplay.outcome.abandoned', 'zh'));
    expect(shown).not.toMatch(/\babandoned\b/);
  });

  it('a skill not used is shown as 0, never 0.5', () => {
    const body = strings(debriefCard(texts, { kind: 'debrief', lang: 'zh', ...zh }).content).join('\n');
    expect(zh.skills.cases).toBe(0);
    expect(body).not.toContain('0.5');
  });
});

describe('/progress as a card and on the App Home', () => {
  const entries = (): PracticeEntry[] => {
    let list: PracticeEntry[] = [];
    const day = Date.UTC(2026, 11, 1);
    const records: TurnRecord[][] = [
      [turn('hello', { respect: 80 })],
      [turn('100k a month at 0.6%', { data: 90, respect: 80 })],
      [turn('100k a month at 0.6%; next door got 0.45%', { data: 90, cases: 90, respect: 90 })],
    ];
    records.forEach(
      (r, i) => (list = addPractice(list, practiceEntry(debrief('en', r, 'impasse'), day + i * 86400000))),
    );
    return list;
  };

  it('shows first against latest, a trend per skill and the next drill on the weakest skill', () => {
    const card = progressCard(texts, { practice: entries() }, 'en')!;
    expect(card.first).toContain('2026-12-01');
    expect(card.latest).toContain('2026-12-03');
    expect(card.scores).toHaveLength(3);
    expect(card.skills).toHaveLength(SKILLS.length);
    const data = card.skills.find((s) => s.name === skillName(texts, 'data', 'en'));
    expect(data).toMatchObject({ series: [0, 0.9, 0.9], from: '0', to: '0.9' });
    // Never shown in the recent rehearsals: common interest comes before the others at 0.
    expect(card.next).toContain(skillName(texts, 'mutual_benefit', 'en'));
    const adaptive = strings(progressAdaptiveCard(card).content).join('\n');
    expect(adaptive).toContain(card.first);
    expect(adaptive).toContain(card.next);
  });

  it('the App Home carries the progress next to the last debrief', () => {
    const progress = progressCard(texts, { practice: entries() }, 'zh')!;
    const home: HomeCard = {
      kind: 'home',
      lang: 'zh',
      title: 'home',
      stageText: 'stage',
      actions: [],
      quickStarts: [],
      lastDebriefTitle: 'last',
      progress,
    };
    const view = homeView(texts, home);
    const shown = strings(view.blocks).join('\n');
    expect(shown).toContain(progress.first);
    expect(shown).toContain(progress.next);
  });
});
