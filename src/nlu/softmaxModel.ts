/**
 * A multinomial logistic regression over the same sparse features as the Bayes model, trained
 * with SGD at build time. Naive Bayes scores every feature as if independent; this model weighs
 * them against each other, which is what separates "my rate is 0.6%, too high" (fees) from
 * "what would 0.38% save me" (fee_calc). The two are combined in the NLU (see train.ts).
 */
import type { Intent } from '../knowledge/schema';
import { indexOf, sortOrder } from './sortedIndex';
import { fnv1a } from '../util/hash';

/** A softmax over labels L: intents for the intent model, case ids or acts for the other heads. */
export interface SoftmaxModel<L extends string = Intent> {
  labels: L[];
  /** Sorted (looked up by binary search). */
  features: string[];
  bias: number[];
  /** Row-major: features.length × labels.length. */
  weights: Float32Array | number[];
}

export interface SoftmaxOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_SOFTMAX: SoftmaxOptions = {
  epochs: 12,
  learningRate: 0.4,
  l2: 1e-5,
  seed: 1,
};

/** Trains on weighted examples (weight 1 when not given). */
export function trainSoftmax<L extends string>(
  docs: { features: string[]; label: L; weight?: number }[],
  options: SoftmaxOptions,
): SoftmaxModel<L> {
  // Features seen once are mostly typos of one example: they fit noise, not language.
  const df = new Map<string, number>();
  for (const d of docs) for (const f of d.features) df.set(f, (df.get(f) ?? 0) + 1);
  const features = [...df.entries()].filter(([, n]) => n >= 2).map(([f]) => f);
  const index = new Map(features.map((f, i) => [f, i]));
  const labels = [...new Set(docs.map((d) => d.label))];
  const L = labels.length;
  const W = new Float64Array(features.length * L);
  const b = new Float64Array(L);
  const encoded = docs.map((d) => ({
    x: Int32Array.from(d.features.map((f) => index.get(f) ?? -1).filter((i) => i >= 0)),
    y: labels.indexOf(d.label),
    w: d.weight ?? 1,
  }));
  // Each example's place in an epoch comes from its own content, not from its position: adding a
  // few training lines then leaves every other line's order as it was, so the model moves with
  // the data instead of being reshuffled (a Fisher-Yates shuffle of a longer list had flipped 4.5%
  // of the dev sets' readings after 18 new lines).
  const base = docs.map((d) => fnv1a(`${d.label}\u0002${d.features.join('\u0001')}`));
  const order = encoded.map((_, i) => i);
  const keys = new Uint32Array(order.length);
  const z = new Float64Array(L);
  let rate = options.learningRate;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const salt = Math.imul(epoch + 1, 0x9e3779b9) ^ options.seed;
    for (let i = 0; i < keys.length; i++) keys[i] = mix32((base[i] as number) ^ salt);
    order.sort((x, y) => (keys[x] as number) - (keys[y] as number) || x - y);
    for (const k of order) {
      const { x, y, w } = encoded[k] as (typeof encoded)[number];
      z.set(b);
      for (const f of x) for (let c = 0; c < L; c++) z[c] = (z[c] as number) + (W[f * L + c] as number);
      let max = -Infinity;
      for (let c = 0; c < L; c++) if ((z[c] as number) > max) max = z[c] as number;
      let sum = 0;
      for (let c = 0; c < L; c++) {
        z[c] = Math.exp((z[c] as number) - max);
        sum += z[c] as number;
      }
      const step = rate * w;
      for (let c = 0; c < L; c++) {
        const grad = (z[c] as number) / sum - (c === y ? 1 : 0);
        b[c] = (b[c] as number) - step * grad;
        for (const f of x) {
          const at = f * L + c;
          W[at] = (W[at] as number) - step * (grad + options.l2 * (W[at] as number));
        }
      }
    }
    rate *= 0.8;
  }
  // Stored with the features sorted, rows permuted to match.
  const sorted = sortOrder(features);
  const weights = new Float32Array(W.length);
  sorted.forEach((from, to) => weights.set(W.subarray(from * L, from * L + L), to * L));
  return { labels, features: sorted.map((i) => features[i] as string), bias: [...b], weights };
}

export class SoftmaxScorer<Label extends string = Intent> {
  private readonly L: number;
  /** Feature → weight row (see BayesScorer). */
  private readonly index: Map<string, number>;

  constructor(readonly model: SoftmaxModel<Label>) {
    this.L = model.labels.length;
    this.index = indexOf(model.features);
  }

  /** Log-probabilities per label (index-aligned with model.labels). */
  logProbs(features: readonly string[]): Float64Array {
    const { L } = this;
    const z = Float64Array.from(this.model.bias);
    for (const f of features) {
      const i = this.index.get(f);
      if (i === undefined) continue;
      for (let c = 0; c < L; c++) z[c] = (z[c] as number) + (this.model.weights[i * L + c] as number);
    }
    let max = -Infinity;
    for (const v of z) if (v > max) max = v;
    let sum = 0;
    for (const v of z) sum += Math.exp(v - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < L; c++) z[c] = (z[c] as number) - logSum;
    return z;
  }
}

/** A 32-bit finaliser (murmur3's): spreads a key's bits so each epoch's order differs. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
