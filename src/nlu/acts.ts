/**
 * Dialogue acts: what KIND of message the user sent — a question, a report of something that
 * happened in their case (with the event), a complaint, a request for a document (with the
 * document), a correction, an acknowledgement, an answer or a request for an action — and whether
 * a report word in it is negated or hypothetical ("还没联系", "如果被拒了", "I haven't called").
 *
 * Trained at build time on knowledge/nlu/acts/acts-train.yaml, per language like the intent
 * model: natural's Bayes classifier and a softmax over the intent model's features plus cue
 * features that carry the act (question marks and words, negation, hypotheticals, past markers,
 * requests). The stage machine moves on reports, so a report must be clearly more likely than
 * anything else: the bar is fitted on cross-validation to keep false reports rare.
 */
import { createHash } from 'node:crypto';
import { BayesScorer, tablesFromCounts, trainBayes, type BayesTables } from './bayesModel';
import { readAsMandarin } from '../text/normalize';
import { DEFAULT_SOFTMAX, SoftmaxScorer, trainSoftmax, type SoftmaxModel } from './softmaxModel';

export const ACT_TYPES = [
  'question',
  'report',
  'complaint',
  'request_document',
  'correction',
  'ack',
  'answer',
  'request_action',
] as const;
type ActType = (typeof ACT_TYPES)[number];

export const ACT_EVENTS = [
  'contacted',
  'ticket_opened',
  'refused',
  'partial_offer',
  'agreed',
  'no_agreement',
  'no_reply',
  'escalated',
  'police_report',
  'repaid',
  'switched',
  'other',
] as const;
export type ActEvent = (typeof ACT_EVENTS)[number];

export const ACT_DOCS = ['letter', 'email', 'script', 'complaint', 'appeal', 'plan'] as const;
export type ActDoc = (typeof ACT_DOCS)[number];

/** The act of one message (NluResult.act). */
export interface Act {
  type: ActType;
  /** Reports only: what happened. */
  event?: ActEvent;
  /** Document requests only: which document. */
  doc?: ActDoc;
  /** A report word that did not happen (yet) or is hypothetical; never set on a report. */
  negated?: boolean;
  confidence: number;
}

/** One training line of acts-train.yaml. */
export interface ActExample {
  text: string;
  lang: 'zh' | 'en';
  act: ActType;
  event?: ActEvent;
  doc?: ActDoc;
  negated?: boolean;
}

export interface ActModel {
  bayes: BayesTables;
  /** Labels: the act, with `/event` for reports and `/doc` for document requests. */
  softmax: SoftmaxModel<string>;
  /** How much the Bayes opinion counts next to the softmax one. */
  bayesWeight: number;
  /** Temperature that turns the Bayes log scores into probabilities. */
  bayesTemperature: number;
  /** A report is read only when the reports together are at least this likely. */
  reportAbove: number;
  /** Negated or not: a softmax over `neg` / `pos`. */
  negation: SoftmaxModel<string>;
}

/* ------------------------------------------------------------------------------------------------
 * Cue features
 * ---------------------------------------------------------------------------------------------- */

const CUES: [string, RegExp][] = [
  // Questions.
  ['?mark', /[?？]/],
  ['?end', /(?:[?？]|[吗呢么嘛][?？!！。.~…]*)\s*$/],
  ['?ma', /[吗嗎][?？!！。.,，~…]*\s*$|吗[?？，,]/],
  [
    '?zhword',
    /怎么|怎样|如何|为什么|为啥|干嘛|多久|多少|哪|啥|什么|能不能|可不可以|是不是|要不要|会不会|有没有|能否|可否|是否|咋/,
  ],
  [
    '?enstart',
    /^(?:what|how|why|when|where|who|which|should|can|could|would|will|is|are|do|does|did|any|has|have|whats|what's|hw)\b/,
  ],
  ['?enword', /\b(?:what|how|why|when|where|which|whether)\b/],
  // Negation and "not yet".
  ['neg', /没|沒|未|不|别|別|\bnot\b|n't\b|\bnever\b|\bno\b/],
  ['notyet', /还没|還沒|尚未|还未|没有?[^，,。]{0,4}过|not yet|haven't|hasn't|have not|didn't|did not|never/],
  // Hypotheticals and plans.
  [
    'hyp',
    /如果|要是|万一|萬一|假如|假设|假設|的话|的話|一旦|倘若|\bif\b|\bsuppose\b|\bonce\b|in case|\bwould\b|\bassuming\b/,
  ],
  [
    'plan',
    /打算|准备|準備|想要?|计划|計劃|明天|下周|下次|待会|待會|going to|gonna|\bwill\b|\bplan to\b|tomorrow|next week|later/,
  ],
  // Past and completion.
  [
    'past',
    /了[，,。.!！~…?？]*$|了[，,。！吗嗎呢么]|已经|已經|刚刚|刚才|剛才|剛剛|刚|剛|昨天|今天|上午|下午|终于|終於|上周|上个月|前天/,
  ],
  [
    'past-en',
    /\b(?:already|just|did|yesterday|today|finally|this morning|last week|earlier|got|was|were|had)\b|\b\w{3,}ed\b/,
  ],
  // Who did it.
  ['i', /我|\bi\b|\bi'[mvd]|\bmy\b|\bwe\b|\bour\b/],
  [
    'they',
    /他们|他們|对方|對方|客服说|客服說|他说|她说|说是|\bthey\b|\bthey'|\brep\b|\bagent\b|\bsupport said\b/,
  ],
  // Requests to the coach.
  [
    'req',
    /帮我|幫我|给我|給我|请|請|麻烦|麻煩|写|寫|起草|拟|\bhelp me\b|\bwrite\b|\bdraft\b|\bcan you\b|\bcould you\b|\bplease\b|\bpls\b|\bplz\b|\bgive me\b/,
  ],
  [
    'doc',
    /信|函|邮件|郵件|话术|話術|稿子|投诉书|投訴書|申诉|申訴|材料|计划书|文档|清单|\bletter\b|\bemail\b|\bscript\b|\bcomplaint\b|\bappeal\b|\bplan\b|\bmessage\b/,
  ],
  // Acknowledgement.
  [
    'ack',
    /^(?:好的?|好吧|嗯+|哦+|噢|ok|okay|k|thx|thanks|thank you|ty|got it|cool|nice|great|understood|明白|懂了|收到|谢谢|謝謝|了解|可以)/,
  ],
  ['thanks', /谢谢|謝謝|感谢|感謝|多谢|thanks|thank you|\bty\b|\bthx\b|appreciate/],
  // Correction.
  [
    'corr',
    /不对|不對|说错|說錯|搞错|搞錯|记错|記錯|打错|打錯|我是说|我是說|应该是|應該是|更正|纠正|\bi meant\b|\bcorrection\b|\bmistyped\b|\bmisspoke\b|\bi mean\b|\bactually\b|\bnot\b.{1,20}\bbut\b|不是.{1,12}是/,
  ],
  // Complaint.
  [
    'vent',
    /凭什么|憑什麼|太差|垃圾|离谱|離譜|坑|恶心|噁心|气死|氣死|服了|无语|無語|失望|受够|受夠|什么破|\bwtf\b|useless|ridiculous|outrageous|terrible|sick of|nightmare|joke|rip-?off|predatory/,
  ],
  // Numbers (answers give them).
  ['num', /\d|[一二三四五六七八九十两百千万]/],
];

/**
 * The act features of a message: the intent model's word, bigram and concept features plus the
 * cue features. Character n-grams (c:, g:) are left out: they carry the topic, not the act, and
 * cross-validation is no worse without them, while reading is faster.
 */
export function actFeatures(text: string, base: readonly string[]): string[] {
  const norm = readAsMandarin(text).toLowerCase();
  const out: string[] = [];
  for (const f of base) if (!f.startsWith('c:') && !f.startsWith('g:')) out.push(f);
  const cues = new Set<string>();
  for (const [name, re] of CUES) if (re.test(norm)) cues.add(name);
  for (const c of cues) out.push(`~${c}`);
  // The combinations that decide between a report and the rest.
  const question = cues.has('?mark') || cues.has('?end') || cues.has('?zhword') || cues.has('?enstart');
  const past = cues.has('past') || cues.has('past-en');
  if (question && past) out.push('~q+past');
  if (question && !past) out.push('~q-past');
  if (cues.has('hyp') && question) out.push('~hyp+q');
  if (cues.has('notyet') || (cues.has('neg') && past)) out.push('~neg+past');
  if (past && !question && !cues.has('hyp') && !cues.has('notyet')) out.push('~plainpast');
  if (cues.has('req') && cues.has('doc')) out.push('~req+doc');
  const length = [...norm].length;
  out.push(length <= 4 ? '~len:1' : length <= 12 ? '~len:2' : length <= 30 ? '~len:3' : '~len:4');
  return out;
}

/* ------------------------------------------------------------------------------------------------
 * Training
 * ---------------------------------------------------------------------------------------------- */

export function actLabel(e: Pick<ActExample, 'act' | 'event' | 'doc'>): string {
  if (e.act === 'report') return `report/${e.event ?? 'other'}`;
  if (e.act === 'request_document') return `request_document/${e.doc ?? 'letter'}`;
  return e.act;
}

export interface ActTrainingDoc {
  features: string[];
  label: string;
  negated: boolean;
  text: string;
}

const ACT_SOFTMAX = { ...DEFAULT_SOFTMAX, epochs: 20 };
/** Cross-validated share of non-reports that may be read as reports when fitting the bar. */
const MAX_FALSE_REPORT = 0.02;
const BAYES_WEIGHTS = [0, 0.25, 0.5, 1];
const BAYES_TEMPERATURES = [1, 3, 10];

function foldOf(text: string, k: number): number {
  return createHash('md5').update(text).digest().readUInt32BE(0) % k;
}

interface Heads {
  bayes: BayesScorer;
  softmax: SoftmaxScorer<string>;
}

function trainHeads(docs: ActTrainingDoc[]): { bayes: BayesTables; softmax: SoftmaxModel<string> } {
  return {
    bayes: tablesFromCounts(trainBayes(docs)),
    softmax: trainSoftmax(
      docs.map((d) => ({ features: d.features, label: d.label })),
      ACT_SOFTMAX,
    ),
  };
}

function trainNegation(docs: ActTrainingDoc[]): SoftmaxModel<string> {
  return trainSoftmax(
    docs.map((d) => ({ features: d.features, label: d.negated ? 'neg' : 'pos' })),
    ACT_SOFTMAX,
  );
}

/** Probability per softmax label, the Bayes opinion mixed in (log-linear). */
function labelProbs(
  h: Heads,
  features: readonly string[],
  weight: number,
  temperature: number,
): Float64Array {
  const logs = h.softmax.logProbs(features);
  const labels = h.softmax.model.labels;
  if (weight > 0) {
    const bayes = h.bayes.logScores(features);
    let max = -Infinity;
    for (const v of bayes) if (v > max) max = v;
    let sum = 0;
    for (const v of bayes) sum += Math.exp((v - max) / temperature);
    const byLabel = new Map<string, number>();
    h.bayes.tables.labels.forEach((l, c) =>
      byLabel.set(l, ((bayes[c] as number) - max) / temperature - Math.log(sum)),
    );
    for (let c = 0; c < labels.length; c++) {
      logs[c] = (logs[c] as number) + weight * (byLabel.get(labels[c] as string) ?? -30);
    }
  }
  let max = -Infinity;
  for (const v of logs) if (v > max) max = v;
  let total = 0;
  for (let c = 0; c < logs.length; c++) {
    logs[c] = Math.exp((logs[c] as number) - max);
    total += logs[c] as number;
  }
  for (let c = 0; c < logs.length; c++) logs[c] = (logs[c] as number) / total;
  return logs;
}

/** The best act from label probabilities, a report only above the bar. */
function decideAct(
  labels: readonly string[],
  probs: Float64Array,
  reportAbove: number,
): { label: string; type: ActType; p: number } {
  const byType = new Map<ActType, number>();
  let bestReport = { label: 'report/other', p: -1 };
  let bestOther = { label: 'question', p: -1 };
  labels.forEach((label, c) => {
    const p = probs[c] as number;
    const type = label.split('/')[0] as ActType;
    byType.set(type, (byType.get(type) ?? 0) + p);
    if (type === 'report') {
      if (p > bestReport.p) bestReport = { label, p };
    }
  });
  const report = byType.get('report') ?? 0;
  if (report >= reportAbove && report >= Math.max(...[...byType.values()])) {
    return { label: bestReport.label, type: 'report', p: report };
  }
  // The best type other than report; within it the best label.
  let bestType: ActType = 'question';
  let bestTypeP = -1;
  for (const [type, p] of byType) {
    if (type !== 'report' && p > bestTypeP) {
      bestType = type;
      bestTypeP = p;
    }
  }
  labels.forEach((label, c) => {
    const p = probs[c] as number;
    if (label.split('/')[0] === bestType && p > bestOther.p) bestOther = { label, p };
  });
  return { label: bestOther.label, type: bestType, p: bestTypeP };
}

/**
 * Trains one language's act model. The Bayes weight and temperature are chosen on 5-fold
 * cross-validation (act accuracy), then the report bar: the lowest that keeps cross-validated
 * false reports (a non-report read as a report) within MAX_FALSE_REPORT.
 */
export function trainActs(docs: ActTrainingDoc[], k = 5): ActModel {
  const cv: { doc: ActTrainingDoc; heads: Heads }[] = [];
  for (let fold = 0; fold < k; fold++) {
    const t = trainHeads(docs.filter((d) => foldOf(d.text, k) !== fold));
    const heads = { bayes: new BayesScorer(t.bayes), softmax: new SoftmaxScorer(t.softmax) };
    for (const d of docs) if (foldOf(d.text, k) === fold) cv.push({ doc: d, heads });
  }
  // Each setting of the Bayes weight and temperature gets its report bar (the report probability
  // that only MAX_FALSE_REPORT of the non-reports exceed); the setting whose acts are then most
  // often right wins.
  let best = { weight: 0, temperature: 1, reportAbove: 0.5, accuracy: -1 };
  for (const weight of BAYES_WEIGHTS) {
    for (const temperature of weight === 0 ? [1] : BAYES_TEMPERATURES) {
      const rows = cv.map(({ doc, heads }) => ({
        doc,
        labels: heads.softmax.model.labels,
        probs: labelProbs(heads, doc.features, weight, temperature),
      }));
      const nonReports = rows
        .filter(({ doc }) => !doc.label.startsWith('report'))
        .map(({ labels, probs }) => {
          let p = 0;
          labels.forEach((l, c) => {
            if (l.startsWith('report')) p += probs[c] as number;
          });
          return p;
        })
        .sort((a, b) => b - a);
      const allowed = Math.floor(nonReports.length * MAX_FALSE_REPORT);
      const reportAbove = Math.min(0.9, Math.max(0.5, (nonReports[allowed] ?? 0) + 1e-6));
      let right = 0;
      for (const { doc, labels, probs } of rows) {
        if (decideAct(labels, probs, reportAbove).label.split('/')[0] === doc.label.split('/')[0]) right++;
      }
      const accuracy = right / rows.length;
      if (accuracy > best.accuracy + 1e-9) best = { weight, temperature, reportAbove, accuracy };
    }
  }
  const reportAbove = best.reportAbove;
  const t = trainHeads(docs);
  return {
    bayes: t.bayes,
    softmax: t.softmax,
    bayesWeight: best.weight,
    bayesTemperature: best.temperature,
    reportAbove,
    negation: trainNegation(docs),
  };
}

/* ------------------------------------------------------------------------------------------------
 * Reading
 * ---------------------------------------------------------------------------------------------- */

const round = (p: number): number => Math.round(p * 1000) / 1000;

export class ActReader {
  private readonly heads: Heads;
  private readonly negation: SoftmaxScorer<string>;
  private readonly negIndex: number;

  constructor(readonly model: ActModel) {
    this.heads = { bayes: new BayesScorer(model.bayes), softmax: new SoftmaxScorer(model.softmax) };
    this.negation = new SoftmaxScorer(model.negation);
    this.negIndex = model.negation.labels.indexOf('neg');
  }

  /** The act of a message, from its text and the intent model's features. */
  read(text: string, base: readonly string[]): Act {
    const features = actFeatures(text, base);
    const { model } = this;
    const probs = labelProbs(this.heads, features, model.bayesWeight, model.bayesTemperature);
    const got = decideAct(model.softmax.labels, probs, model.reportAbove);
    const act: Act = { type: got.type, confidence: round(got.p) };
    const detail = got.label.split('/')[1];
    if (got.type === 'report' && detail) act.event = detail as ActEvent;
    if (got.type === 'request_document' && detail) act.doc = detail as ActDoc;
    if (got.type !== 'report' && this.negIndex >= 0) {
      const neg = Math.exp(this.negation.logProbs(features)[this.negIndex] as number);
      if (neg >= 0.5) act.negated = true;
    }
    return act;
  }
}
