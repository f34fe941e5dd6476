/**
 * Loading the real knowledge base (knowledge/*.yaml through src/knowledge/validate.ts): no
 * problems, every seed section covered in both languages for both roles and the issues it
 * concerns, every topic and template written in Chinese and in English (and not the other
 * language by mistake), answers chat-sized, the compiled bundle the coach serves identical to
 * the YAML, and every button label and follow-up leading where it says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { followupLabel } from '../../src/conversation/flow';
import { NEXT_ACTIONS } from '../../src/journey/nextActions';
import { EXAMPLE_SOURCE } from '../../src/knowledge/exampleSource';
import {
  FOLLOWUP_ACTIONS,
  ISSUES,
  LANGS,
  ROLES,
  SEED_SECTIONS,
  TEMPLATE_SLOTS,
  type Lang,
} from '../../src/knowledge/schema';
import {
  MAX_ANSWER_EN_WORDS,
  MAX_ANSWER_ZH_CHARS,
  coverage,
  loadKnowledge,
  requiredIssues,
} from '../../src/knowledge/validate';
import { generatedDir, projectRoot } from '../../src/util/paths';
import { testChat } from '../helpers/runtime';

const ROOT = join(projectRoot(), 'knowledge');
const { bundle, problems } = loadKnowledge(ROOT);

const cjk = (s: string): number => (s.match(/[\u4e00-\u9fff]/g) ?? []).length;
const latin = (s: string): number => (s.match(/[A-Za-z]/g) ?? []).length;
/** Share of Chinese characters among the letters of a text (placeholders left out). */
function chineseShare(text: string): number {
  const t = text.replace(/\{\{\s*[a-zA-Z]+\s*\}\}/g, '');
  return cjk(t) / Math.max(1, cjk(t) + latin(t));
}

/** The text is written in the given language (English may quote a few Chinese names). */
function expectWrittenIn(text: string, lang: Lang, where: string): void {
  const share = chineseShare(text);
  if (lang === 'zh') {
    if (share < 0.6) throw new Error(`${where} should be Chinese; only ${(share * 100).toFixed(0)}% is`);
  } else if (share > 0.1) {
    throw new Error(`${where} should be English; ${(share * 100).toFixed(0)}% is Chinese`);
  }
}

describe('the knowledge base loads cleanly', () => {
  it('reports no problems for knowledge/', () => {
    expect(problems).toEqual([]);
  });

  it('loads every topic, template, source, reference rate and role-play scenario file', () => {
    expect(bundle.topics.length).toBeGreaterThanOrEqual(SEED_SECTIONS.length);
    expect(bundle.templates.map((t) => t.id).sort()).toEqual([
      'appeal_letter',
      'complaint_12363',
      'complaint_letter',
      'demand_email',
      'mediation_request',
      'opening_script',
    ]);
    expect(bundle.sources.length).toBeGreaterThan(5);
    expect(bundle.referenceRates.length).toBeGreaterThan(0);
    expect(bundle.roleplay.map((r) => r.scenario).sort()).toEqual(['fees', 'security', 'service']);
  });

  it('has unique topic ids and unique source ids', () => {
    const topicIds = bundle.topics.map((t) => t.id);
    expect(new Set(topicIds).size).toBe(topicIds.length);
    const sourceIds = bundle.sources.map((s) => s.id);
    expect(new Set(sourceIds).size).toBe(sourceIds.length);
  });

  it('is what the coach serves: generated/knowledge.json is the bundle of knowledge/ (run npm run build if not)', () => {
    const served = readFileSync(join(generatedDir(), 'knowledge.json'), 'utf8');
    expect(served).toBe(JSON.stringify(bundle));
  });
});

describe('coverage of the seed document', () => {
  const rows = coverage(bundle.topics);

  it('has one row per seed section and no empty required cell', () => {
    expect(rows.map((r) => r.section)).toEqual([...SEED_SECTIONS]);
    const gaps = rows.filter((r) => r.gaps.length > 0).map((r) => `${r.section}: ${r.gaps.join(', ')}`);
    expect(gaps).toEqual([]);
  });

  it.each(SEED_SECTIONS.map((s) => [s]))(
    'section %s has a topic in Chinese and English, for merchants and consumers, for its issues',
    (section) => {
      const inSection = bundle.topics.filter((t) => t.section === section);
      expect(inSection.length).toBeGreaterThan(0);
      for (const role of ROLES) expect(inSection.some((t) => t.roles.includes(role))).toBe(true);
      for (const issue of requiredIssues(section)) {
        expect(inSection.some((t) => t.issues.includes(issue))).toBe(true);
      }
      for (const lang of LANGS) {
        expect(inSection.some((t) => t.answer[lang].trim() !== '' && t.more[lang].trim() !== '')).toBe(true);
      }
    },
  );

  it('gives each of the three problems (三.1–三.3) its own issue', () => {
    expect(requiredIssues('三.1')).toEqual(['fees']);
    expect(requiredIssues('三.2')).toEqual(['security']);
    expect(requiredIssues('三.3')).toEqual(['service']);
    expect(requiredIssues('七.1')).toEqual(ISSUES);
  });

  it('reports a gap when a section loses its topics', () => {
    const without = bundle.topics.filter((t) => t.section !== '二.1');
    const row = coverage(without).find((r) => r.section === '二.1');
    expect(row?.gaps).toEqual(expect.arrayContaining(['zh', 'en', 'merchant', 'consumer', ...ISSUES]));
    // A role missing from a section is a gap of its own.
    const merchantOnly = bundle.topics
      .filter((t) => t.section === '七.2')
      .map((t) => ({ ...t, roles: ['merchant' as const] }));
    const others = bundle.topics.filter((t) => t.section !== '七.2');
    expect(coverage([...others, ...merchantOnly]).find((r) => r.section === '七.2')?.gaps).toEqual([
      'consumer',
      'consumer×fees',
      'consumer×security',
      'consumer×service',
    ]);
  });

  it('reports a role × issue pair nobody serves (a consumer refused a fee waiver)', () => {
    const without = bundle.topics.filter((t) => t.id !== 'refusal.fees.consumer');
    expect(coverage(without).find((r) => r.section === '七.1')?.gaps).toEqual(['consumer×fees']);
  });
});

describe('every topic speaks both languages, chat-sized', () => {
  it.each(bundle.topics.map((t) => [t.id, t]))('%s', (_id, topic) => {
    for (const lang of LANGS) {
      for (const field of ['button', 'title', 'answer', 'more'] as const) {
        expect(topic[field][lang].trim()).not.toBe('');
        expectWrittenIn(topic[field][lang], lang, `${topic.id} ${field}.${lang}`);
      }
      expect(topic.keywords[lang].length).toBeGreaterThanOrEqual(2);
      expect(topic.examples[lang].length).toBeGreaterThanOrEqual(3);
      // The long version adds to the short one.
      expect(topic.more[lang].length).toBeGreaterThan(topic.answer[lang].length * 0.8);
    }
    expect(topic.answer.zh.replace(/\s/g, '').length).toBeLessThanOrEqual(MAX_ANSWER_ZH_CHARS);
    expect(topic.answer.en.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(MAX_ANSWER_EN_WORDS);
  });

  it('keeps the size limits near the README’s ~300 characters / ~120 words', () => {
    expect(MAX_ANSWER_ZH_CHARS).toBeGreaterThanOrEqual(300);
    expect(MAX_ANSWER_ZH_CHARS).toBeLessThanOrEqual(350);
    expect(MAX_ANSWER_EN_WORDS).toBeGreaterThanOrEqual(120);
    expect(MAX_ANSWER_EN_WORDS).toBeLessThanOrEqual(150);
  });
});

describe('every template speaks both languages with the same blanks', () => {
  const slots = (body: string): string[] =>
    [...new Set([...body.matchAll(/\{\{\s*([a-zA-Z]+)\s*\}\}/g)].map((m) => m[1] ?? ''))].sort();

  it.each(bundle.templates.map((t) => [t.id, t]))('%s', (_id, template) => {
    for (const lang of LANGS) {
      for (const field of ['button', 'title', 'body'] as const) {
        expectWrittenIn(template[field][lang], lang, `${template.id} ${field}.${lang}`);
      }
      for (const slot of slots(template.body[lang])) expect(TEMPLATE_SLOTS).toContain(slot);
    }
    expect(slots(template.body.zh)).toEqual(slots(template.body.en));
  });
});

describe('figures and their sources', () => {
  const sourceIds = new Set(bundle.sources.map((s) => s.id));

  it('every declared figure cites a known source (or is the coach’s own example arithmetic)', () => {
    const unknown = [...bundle.topics, ...bundle.templates].flatMap((item) =>
      item.figures
        .filter((f) => f.source !== EXAMPLE_SOURCE && !sourceIds.has(f.source))
        .map((f) => `${item.id}: ${f.text} → ${f.source}`),
    );
    expect(unknown).toEqual([]);
  });

  it('every source has an "as of" date the coach can show', () => {
    for (const s of bundle.sources) expect(s.date).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
  });

  it('every reference rate of the fee calculator is sourced', () => {
    for (const r of bundle.referenceRates) expect(sourceIds.has(r.source)).toBe(true);
  });
});

describe('buttons and follow-ups lead where they say', () => {
  it('every follow-up action has a label in both languages', () => {
    for (const a of FOLLOWUP_ACTIONS) {
      expect(bundle.ui[`actions.${a}`]?.zh).toBeTruthy();
      expect(bundle.ui[`actions.${a}`]?.en).toBeTruthy();
    }
  });

  it('every topic and template button label, typed or clicked, opens that topic or template', async () => {
    const chat = await testChat();
    const kb = chat.runtime.deps.kb;
    // Labels shown as follow-up buttons somewhere: these must open what they name.
    const shown = new Set(
      [...bundle.topics.flatMap((t) => t.followups), ...Object.values(NEXT_ACTIONS).flat()].filter(
        (ref) => !ref.startsWith('action:'),
      ),
    );
    const wrong: string[] = [];
    const items = [
      ...bundle.topics.map((t) => ({ kind: 'topic' as const, id: t.id, button: t.button })),
      ...bundle.templates.map((t) => ({ kind: 'template' as const, id: t.id, button: t.button })),
    ];
    for (const item of items) {
      for (const lang of LANGS) {
        const target = kb.button(item.button[lang]);
        if (target?.kind === item.kind && target.id === item.id) continue;
        // An action's label takes priority over a topic's (by design); then no follow-up may
        // show that topic's button, or clicking it would start something else.
        if (target?.kind === 'action' && !shown.has(`${item.kind}:${item.id}`)) continue;
        wrong.push(`${item.kind}:${item.id} "${item.button[lang]}" → ${JSON.stringify(target)}`);
      }
    }
    expect(wrong).toEqual([]);
    // Labels are matched loosely: spacing, case and punctuation do not matter.
    expect(kb.button(' fee REQUEST refused! ')).toEqual({ kind: 'topic', id: 'refusal.fees' });
    expect(kb.button('12363 投诉模板')).toEqual({ kind: 'template', id: 'complaint_12363' });
    await chat.runtime.close();
  });

  it('every follow-up of every topic has a label in both languages', async () => {
    const chat = await testChat();
    const { deps } = chat.runtime;
    for (const topic of bundle.topics) {
      for (const lang of LANGS) {
        const labels = topic.followups.map((ref) => followupLabel(deps.kb, ref, lang));
        expect(labels.filter((l) => !l)).toEqual([]);
      }
    }
    await chat.runtime.close();
  });
});
