/**
 * The knowledge base at run time: the compiled bundle (generated/knowledge.json), lookups by
 * id, intent and button label, and retrieval of the topic that fits a question, the user's role
 * and issue.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedDir } from '../util/paths';
import type {
  Case,
  Channel,
  GlossaryEntry,
  Intent,
  Issue,
  Lang,
  ReferenceRate,
  Role,
  Source,
  Template,
  Topic,
} from './schema';
import { Texts } from './texts';
import type { KnowledgeBundle } from './validate';

/** What a button label stands for when the user clicks (or types) it. */
export type ButtonTarget =
  | { kind: 'topic'; id: string }
  | { kind: 'template'; id: string }
  | { kind: 'action'; id: string }
  | { kind: 'intent'; id: Intent }
  | { kind: 'case'; id: string };

/** A case's button: its title up to the first colon ("怎么投诉支付宝：从95188到…" → "怎么投诉支付宝"). */
function caseButton(c: Case, lang: Lang): string {
  return c.title[lang].split(/[：:]/)[0]?.trim() || c.title[lang];
}

export type Retrieval =
  | { kind: 'topic'; topic: Topic }
  /** The answer depends on which problem the user has: ask first. */
  | { kind: 'ask_issue'; issues: Issue[] }
  | { kind: 'none' };

export interface UserContext {
  role?: Role;
  issue?: Issue;
}

/** Normalises a label for matching typed text against buttons. */
function labelKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s。.!！?？,，、:："“”「」'’]+/g, '');
}

export class KnowledgeBase {
  private readonly topicsById = new Map<string, Topic>();
  private readonly templatesById = new Map<string, Template>();
  private readonly sourcesById = new Map<string, Source>();
  private readonly casesById = new Map<string, Case>();
  private readonly channelsById = new Map<string, Channel>();
  private readonly byIntent = new Map<Intent, Topic[]>();
  private readonly buttons = new Map<string, ButtonTarget>();
  private readonly bags = new Map<string, Map<string, number>>();
  private readonly idf = new Map<string, number>();
  /** Per feature: its idf and the topics whose bag holds it (topic number, weight, …). */
  private readonly postings = new Map<string, { idf: number; hits: number[] }>();
  private readonly topicNumber = new Map<string, number>();
  private lastButton: { text: string; target: ButtonTarget | undefined } | undefined;
  /** rank's scratch sums, one per topic. */
  private dots: Float64Array | undefined;

  /**
   * The retrieval index (idf, bags, postings) is built the first time something is ranked: a
   * process whose first message is a greeting, a button or a command answers it without parsing
   * and inverting the index (a twentieth of a second at start).
   */
  private indexed = false;

  /** The coach's interface text (knowledge/ui). */
  readonly texts: Texts;

  constructor(
    readonly bundle: KnowledgeBundle,
    private readonly featurize: (text: string) => string[],
    private index?: KnowledgeIndex | (() => KnowledgeIndex | undefined),
  ) {
    this.texts = new Texts(bundle.ui ?? {});
    for (const s of bundle.sources) this.sourcesById.set(s.id, s);
    for (const c of bundle.cases ?? []) this.casesById.set(c.id, c);
    for (const c of bundle.channels ?? []) this.channelsById.set(c.id, c);
    for (const t of bundle.templates) {
      this.templatesById.set(t.id, t);
      for (const lang of ['zh', 'en'] as const) this.buttons.set(labelKey(t.button[lang]), { kind: 'template', id: t.id });
    }
    for (const topic of bundle.topics) {
      this.topicsById.set(topic.id, topic);
      for (const intent of topic.intents) this.byIntent.set(intent, [...(this.byIntent.get(intent) ?? []), topic]);
      for (const lang of ['zh', 'en'] as const) {
        // A label another topic or action already uses keeps its first meaning.
        const key = labelKey(topic.button[lang]);
        if (!this.buttons.has(key)) this.buttons.set(key, { kind: 'topic', id: topic.id });
      }
    }
    this.bundle.topics.forEach((t, i) => this.topicNumber.set(t.id, i));
    for (const c of bundle.cases ?? []) {
      for (const lang of ['zh', 'en'] as const) {
        const key = labelKey(caseButton(c, lang));
        if (!this.buttons.has(key)) this.buttons.set(key, { kind: 'case', id: c.id });
      }
    }
  }

  private ensureIndex(): void {
    if (this.indexed) return;
    this.indexed = true;
    const index = typeof this.index === 'function' ? this.index() : this.index;
    this.index = undefined; // what it was read from is not needed any more
    if (index) {
      for (const [f, v] of index.idf) this.idf.set(f, v);
      for (const [id, bag] of Object.entries(index.bags)) this.bags.set(id, new Map(bag));
    } else {
      this.buildBags();
    }
    this.buildPostings();
  }

  /** Inverts the bags: a question's features then find their topics without scanning every bag. */
  private buildPostings(): void {
    for (const [id, bag] of this.bags) {
      const n = this.topicNumber.get(id);
      if (n === undefined) continue;
      for (const [f, w] of bag) {
        const idf = this.idf.get(f) ?? 0;
        if (idf <= 0) continue;
        let p = this.postings.get(f);
        if (!p) this.postings.set(f, (p = { idf, hits: [] }));
        p.hits.push(n, w);
      }
    }
  }

  /**
   * Loads the compiled bundle and, when it was built for this bundle and this featurizer, the
   * precomputed retrieval index (built at build time: it saves a quarter-second at start).
   */
  static load(featurize: (text: string) => string[], featurizer: string, dir = generatedDir()): KnowledgeBase {
    const text = readFileSync(join(dir, 'knowledge.json'), 'utf8');
    const bundle = JSON.parse(text) as KnowledgeBundle;
    // Read when first needed; used only when it was built for this bundle and this featurizer.
    const index = (): KnowledgeIndex | undefined => {
      const indexFile = join(dir, INDEX_FILE);
      if (!existsSync(indexFile)) return undefined;
      const found = JSON.parse(readFileSync(indexFile, 'utf8')) as KnowledgeIndex;
      return found.key === indexKey(text, featurizer) ? found : undefined;
    };
    return new KnowledgeBase(bundle, featurize, index);
  }

  /** The retrieval index, to be saved at build time. */
  exportIndex(bundleText: string, featurizer: string): KnowledgeIndex {
    this.ensureIndex();
    return {
      key: indexKey(bundleText, featurizer),
      idf: [...this.idf.entries()],
      bags: Object.fromEntries([...this.bags.entries()].map(([id, bag]) => [id, [...bag.entries()]])),
    };
  }

  topic(id: string): Topic | undefined {
    return this.topicsById.get(id);
  }

  template(id: string): Template | undefined {
    return this.templatesById.get(id);
  }

  source(id: string): Source | undefined {
    return this.sourcesById.get(id);
  }

  caseById(id: string): Case | undefined {
    return this.casesById.get(id);
  }

  /**
   * The same situation for another role: a case of the same problem for `role` whose products
   * cover this case's ("提现手续费" from a merchant is the merchant's withdrawal, not a person's).
   */
  caseForRole(c: Case, role: Case['roles'][number]): Case | undefined {
    const own = c.products ?? [];
    if (c.roles.includes(role) || own.length === 0) return undefined;
    let best: Case | undefined;
    let bestSize = Infinity;
    for (const other of this.casesById.values()) {
      if (other.id === c.id || other.issue !== c.issue || !other.roles.includes(role)) continue;
      const products = other.products ?? [];
      if (!own.every((p) => products.includes(p)) || products.length >= bestSize) continue;
      best = other;
      bestSize = products.length;
    }
    return best;
  }

  get referenceRates(): ReferenceRate[] {
    return this.bundle.referenceRates;
  }

  /** Where a user can take a problem with Alipay (knowledge/channels.yaml), in file order. */
  get channels(): Channel[] {
    return this.bundle.channels ?? [];
  }

  /** A channel by id (`pboc_12363`, `samr_12315` …). */
  channel(id: string): Channel | undefined {
    return this.channelsById.get(id);
  }

  /** Terms users ask the meaning of (knowledge/glossary.yaml), in file order. */
  get glossary(): GlossaryEntry[] {
    return this.bundle.glossary ?? [];
  }

  topicsFor(intent: Intent): Topic[] {
    return this.byIntent.get(intent) ?? [];
  }

  /** Registers an action's labels so that typed or clicked text finds it. */
  registerAction(id: string, labels: { zh: string; en: string }): void {
    this.lastButton = undefined;
    for (const lang of ['zh', 'en'] as const) this.buttons.set(labelKey(labels[lang]), { kind: 'action', id });
  }

  /** Registers an intent's labels (the "did you mean" buttons); actions and topics keep priority. */
  registerIntent(id: Intent, labels: { zh: string; en: string }): void {
    for (const lang of ['zh', 'en'] as const) {
      const key = labelKey(labels[lang]);
      if (!this.buttons.has(key)) this.buttons.set(key, { kind: 'intent', id });
    }
  }

  button(text: string): ButtonTarget | undefined {
    // A turn asks about its message several times (router, dialogs, interruptions): the last
    // answer is kept, since normalising the label costs more than the lookup.
    if (this.lastButton?.text !== text) this.lastButton = { text, target: this.buttons.get(labelKey(text)) };
    return this.lastButton.target;
  }

  /** The label of a follow-up reference (`topic:…`, `template:…`, `action:…`). */
  followupLabel(ref: string, lang: Lang, actionLabel: (id: string) => string | undefined): string | undefined {
    const [kind, id = ''] = ref.split(':');
    if (kind === 'topic') return this.topic(id)?.button[lang];
    if (kind === 'template') return this.template(id)?.button[lang];
    if (kind === 'case') {
      const c = this.caseById(id);
      return c ? caseButton(c, lang) : undefined;
    }
    return actionLabel(id);
  }

  /**
   * The topic for a question: candidates answering the intent, narrowed to the user's role and
   * issue when known; among them the one whose keywords and example questions are closest to
   * the message. When the candidates split by issue and the issue is unknown, ask.
   */
  retrieve(intent: Intent, text: string, user: UserContext, mayAsk = true): Retrieval {
    let candidates = this.topicsFor(intent);
    if (candidates.length === 0) return { kind: 'none' };
    if (user.role) {
      const fit = candidates.filter((t) => t.roles.includes(user.role as Role));
      if (fit.length > 0) candidates = fit;
    }
    if (user.issue) {
      const fit = candidates.filter((t) => t.issues.includes(user.issue as Issue));
      if (fit.length > 0) candidates = fit;
    }
    // Variants that each serve a different issue (the refusal advice for fees, a frozen account,
    // an ignored complaint) need the issue: without it and without a clear textual match, ask.
    const issueSpecific = candidates.filter((t) => t.issues.length < 3);
    const issues = [...new Set(issueSpecific.flatMap((t) => t.issues))];
    const mightAsk = mayAsk && !user.issue && issues.length > 1 && issueSpecific.length === candidates.length;
    // One candidate and no question to decide: there is nothing to rank.
    const only = candidates[0];
    if (candidates.length === 1 && only && !mightAsk) return { kind: 'topic', topic: only };
    const ranked = this.rank(candidates, text);
    const best = ranked[0];
    if (!best) return { kind: 'none' };
    if (mightAsk) {
      // A clear textual match wins only when it is well ahead of the best variant for another
      // issue: "where can I complain" shares words with every ladder and says nothing of which.
      const rival = ranked.find((r) => !r.topic.issues.some((i) => best.topic.issues.includes(i)));
      const clear = best.score >= 0.12 && best.score >= 1.5 * (rival?.score ?? 0);
      if (!clear) return { kind: 'ask_issue', issues };
    }
    return { kind: 'topic', topic: best.topic };
  }

  /** Cosine-like similarity between the message's features and each topic's bag. */
  rank(topics: Topic[], text: string): { topic: Topic; score: number }[] {
    // One pass over the message's features accumulates every topic's dot product. The sums go
    // into one array kept for the purpose (zeroed after use): a typed array per call is a
    // buffer outside the heap, and allocating one per message cost more than the ranking.
    this.ensureIndex();
    const dots = (this.dots ??= new Float64Array(this.topicNumber.size));
    let qNorm = 0;
    // Features come unique from the featurizer.
    for (const f of this.featurize(text)) {
      const p = this.postings.get(f);
      if (!p) continue;
      qNorm += p.idf * p.idf;
      const { hits, idf } = p;
      for (let i = 0; i < hits.length; i += 2) {
        const n = hits[i] as number;
        dots[n] = (dots[n] as number) + (hits[i + 1] as number) * idf;
      }
    }
    const scale = qNorm > 0 ? 1 / Math.sqrt(qNorm) : 0;
    const scored = topics.map((topic) => {
      const n = this.topicNumber.get(topic.id);
      return { topic, score: n === undefined ? 0 : (dots[n] as number) * scale };
    });
    dots.fill(0);
    // Ties (no overlap at all) go to the overview or the first listed: stable order.
    return scored.sort((a, b) => b.score - a.score || overviewFirst(a.topic, b.topic));
  }

  private buildBags(): void {
    const docFreq = new Map<string, number>();
    const raw = new Map<string, Map<string, number>>();
    for (const topic of this.bundle.topics) {
      const bag = new Map<string, number>();
      const add = (text: string, weight: number): void => {
        for (const f of this.featurize(text)) bag.set(f, Math.max(bag.get(f) ?? 0, weight));
      };
      for (const lang of ['zh', 'en'] as const) {
        topic.keywords[lang].forEach((k) => add(k, 2));
        topic.examples[lang].forEach((e) => add(e, 1));
        add(topic.title[lang], 1);
        add(topic.button[lang], 1.5);
      }
      raw.set(topic.id, bag);
      for (const f of bag.keys()) docFreq.set(f, (docFreq.get(f) ?? 0) + 1);
    }
    const n = this.bundle.topics.length;
    for (const [f, df] of docFreq) this.idf.set(f, Math.log(1 + n / df));
    for (const [id, bag] of raw) {
      let norm = 0;
      for (const [f, w] of bag) norm += (w * (this.idf.get(f) ?? 0)) ** 2;
      const scaled = new Map<string, number>();
      for (const [f, w] of bag) scaled.set(f, (w * (this.idf.get(f) ?? 0)) / Math.sqrt(norm || 1));
      this.bags.set(id, scaled);
    }
  }
}

export const INDEX_FILE = 'knowledge-index.json';

/** Topic bags and idf weights over the NLU's features, precomputed at build time. */
export interface KnowledgeIndex {
  key: string;
  idf: [string, number][];
  bags: Record<string, [string, number][]>;
}

function indexKey(bundleText: string, featurizer: string): string {
  return createHash('sha256').update(featurizer).update('\n').update(bundleText).digest('hex').slice(0, 16);
}

function overviewFirst(a: Topic, b: Topic): number {
  const ao = a.id.endsWith('.overview') ? 0 : 1;
  const bo = b.id.endsWith('.overview') ? 0 : 1;
  return ao - bo;
}
