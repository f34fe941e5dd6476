/**
 * The NLU tokenizer (src/nlu/features.ts, src/nlu/normalize.ts) and per-message language
 * detection (src/i18n/detectLang.ts): Chinese segmentation keeps the domain lexicon's words whole,
 * traditional Chinese reads exactly like simplified, English is lower-cased and stemmed, mixed
 * text keeps both scripts, and odd input (empty, punctuation, emoji) is read without throwing.
 */
import { join } from 'node:path';
import { detectLang } from '../../../src/i18n/detectLang';
import { FeatureExtractor } from '../../../src/nlu/features';
import { normalizeText, toSimplified } from '../../../src/text/normalize';
import { loadLexicon } from '../../../src/nlu/trainingData';

const repoRoot = join(__dirname, '..', '..', '..');
const lexicon = loadLexicon(join(repoRoot, 'knowledge', 'nlu'));
const extractor = new FeatureExtractor(lexicon);
/** The same tokenizer without a lexicon: what Intl.Segmenter does on its own. */
const bare = new FeatureExtractor({ words: [], concepts: {} });

const tokens = (text: string): string[] => extractor.tokens(text);
const sortedFeatures = (text: string): string[] => [...extractor.features(text)].sort();

describe('Chinese segmentation', () => {
  test.each<[string, string[]]>([
    ['支付宝的手续费和费率太高', ['支付宝', '的', '手续费', '和', '费率', '太高']],
    ['我想用云闪付收款', ['云闪付']],
    ['能不能找第三方调解', ['第三方调解']],
    ['我要去人民银行投诉', ['人民银行']],
    ['中国人民银行管这个吗', ['中国人民银行']],
    ['商家被限制收款了怎么办', ['限制收款']],
    ['用收钱吧还是拉卡拉', ['收钱吧', '拉卡拉']],
  ])('%s keeps the domain words %j whole', (text, words) => {
    const got = tokens(text);
    for (const w of words) expect(got).toContain(w);
  });

  test('the full token list of a merchant complaint', () => {
    expect(tokens('支付宝的手续费和费率太高')).toEqual(['支付宝', '的', '手续费', '和', '费率', '太高']);
  });

  test('the longest lexicon word wins over a shorter one inside it', () => {
    // 第三方 and 第三方调解 are both lexicon words; 人民银行 and 中国人民银行 too.
    expect(tokens('找第三方调解')).toEqual(['找', '第三方调解']);
    expect(tokens('中国人民银行')).toEqual(['中国人民银行']);
    expect(tokens('中国人民银行')).not.toContain('人民银行');
  });

  test('the lexicon is what keeps these words whole (the plain segmenter splits them)', () => {
    // If this ever stops splitting, the lexicon tests above no longer prove anything.
    for (const word of ['云闪付', '第三方调解', '限制收款']) {
      expect(bare.tokens(word)).not.toEqual([word]);
      expect(tokens(word)).toEqual([word]);
    }
  });

  test('every lexicon word stays whole inside a sentence', () => {
    const broken = lexicon.words.filter((word) => {
      const whole = normalizeText(word).toLowerCase();
      return !tokens(`请问${word}怎么办`).includes(whole);
    });
    expect(broken).toEqual([]);
  });

  test('Chinese features include the words and character bigrams', () => {
    const features = extractor.features('手续费太高');
    expect(features).toEqual(expect.arrayContaining(['w:手续费', 'c:手续', 'c:续费', 'c:费太', 'c:太高']));
  });

  test('a synonym from the lexicon adds its concept tag', () => {
    // 扣点 and 手续费 are different words for the same thing: both must share the fee concept.
    const fee = extractor.features('手续费太高');
    const cut = extractor.features('扣点太多');
    const shared = fee.filter((f) => f.startsWith('#') && f !== '#digits' && cut.includes(f));
    expect(shared.length).toBeGreaterThan(0);
    expect(extractor.features('今天天气不错')).toContain('#none');
    expect(fee).not.toContain('#none');
  });
});

describe('traditional Chinese', () => {
  test.each([
    '我們的手續費太高了',
    '支付寶把我的帳戶凍結了',
    '雲閃付的費率比較低',
    '客服態度很差，電話打不通',
    '向中國人民銀行投訴',
    '談判破裂了，沒有達成協議',
  ])('%s has the same tokens and features as its simplified form', (text) => {
    const simplified = toSimplified(text);
    expect(simplified).not.toBe(text);
    expect(tokens(text)).toEqual(tokens(simplified));
    expect(sortedFeatures(text)).toEqual(sortedFeatures(simplified));
  });

  test('traditional forms normalise to the mainland words of the lexicon', () => {
    expect(tokens('支付寶')).toEqual(['支付宝']);
    expect(tokens('我們的手續費太高了')).toEqual(['我们', '的', '手续费', '太高', '了']);
    // 帳 becomes 账 (账户), not OpenCC's 帐.
    expect(tokens('帳戶')).toEqual(['账户']);
    expect(normalizeText('帳戶被凍結')).toBe('账户被冻结');
  });

  test('full-width letters and digits are read as ASCII', () => {
    expect(normalizeText('ＡＬＩＰＡＹ　０．６％')).toBe('ALIPAY 0.6%');
    expect(tokens('ＦＥＥＳ')).toEqual(tokens('fees'));
  });
});

describe('English', () => {
  test('words are lower-cased and stemmed', () => {
    expect(tokens('Fees')).toEqual(['fee']);
    expect(tokens('FEES')).toEqual(tokens('fee'));
    expect(tokens('Fees are TOO high!!')).toEqual(tokens('fees are too high'));
  });

  test('inflections of one word share a stem', () => {
    const [negotiating] = tokens('negotiating');
    expect(negotiating).toBeDefined();
    expect(tokens('negotiation')).toEqual([negotiating]);
    expect(tokens('Negotiate')).toEqual([negotiating]);
    expect(tokens('refused')).toEqual(tokens('refusing'));
    expect(tokens('charges')).toEqual(tokens('charge'));
  });

  test('features include stem bigrams, so word order matters a little', () => {
    expect(extractor.features('lower fee rate')).toEqual(
      expect.arrayContaining(['b:lower_fee', 'b:fee_rate']),
    );
  });

  test('a typo still shares character 4-grams with the right word', () => {
    const typo = extractor.features('refuesd').filter((f) => f.startsWith('g:'));
    const right = extractor.features('refused').filter((f) => f.startsWith('g:'));
    expect(typo.filter((g) => right.includes(g)).length).toBeGreaterThan(0);
  });
});

describe('mixed Chinese and English', () => {
  test('both scripts are kept', () => {
    expect(tokens('我想降低fee rate')).toEqual(['我想', '降低', 'fee', 'rate']);
    const features = extractor.features('我想降低fee rate');
    expect(features).toEqual(expect.arrayContaining(['w:降低', 'c:降低', 'w:fee', 'w:rate', 'b:fee_rate']));
  });

  test('an English platform name next to Chinese is still a platform', () => {
    expect(extractor.features('Alipay 手续费太高')).toContain('@platform:alipay');
    expect(tokens('Alipay 手续费太高')).toEqual(['手续费', '太高', ...tokens('alipay')]);
  });
});

describe('language detection', () => {
  test.each<[string, 'zh' | 'en' | undefined]>([
    ['支付宝手续费太高', 'zh'],
    ['支付寶手續費太高', 'zh'],
    ['my Alipay fees are too high', 'en'],
    ['我想降低fee rate', 'zh'],
    ['hello 教练', 'zh'],
    ['Alipay 拒绝了', 'zh'],
    ['0.6%', undefined],
    ['95188', undefined],
    ['👍', undefined],
    ['？？？', undefined],
    ['', undefined],
    // A number with a glued unit letter is a number, not English.
    ['3w', undefined],
    ['80k', undefined],
    ['1.2m', undefined],
    ['about 3w', 'en'],
    // The main language wins over a term quoted from the other one.
    ['what does 我的客服 mean', 'en'],
    ['can I use 花呗 as a foreigner?', 'en'],
    ['my 支付宝 account was frozen, what now', 'en'],
    ['我用Visa card付款被收了3%', 'zh'],
    ['请问 customer service 电话是多少', 'zh'],
    ['我收到短信说 your account has been suspended，是诈骗吗？', 'zh'],
    ['Alipay WeChat Pay 哪个手续费低', 'zh'],
  ])('%j → %s', (text, lang) => {
    expect(detectLang(text)).toBe(lang);
  });
});

describe('odd input', () => {
  test.each(['', '   ', '\n\t', '？？？', '!!!...', '😀👍🎉', '\u0000', '\uD800', '——', '。。。'])(
    '%j has no tokens and does not throw',
    (text) => {
      expect(tokens(text)).toEqual([]);
      const features = extractor.features(text);
      // Still a valid feature list: a length bucket and the "no domain cue" tag, nothing else.
      expect(features).toContain('#none');
      expect(features.filter((f) => f.startsWith('w:'))).toEqual([]);
    },
  );

  test('a very long message is tokenized', () => {
    const text = '支付宝手续费太高'.repeat(5000);
    expect(tokens(text).length).toBeGreaterThan(5000);
    expect(extractor.features(text)).toEqual(expect.arrayContaining(['w:支付宝', 'w:手续费', '#fee']));
  });
});

/**
 * The Chinese side of the lexicon is built on the first Chinese message (start-up); text without
 * a Chinese character still gets the concepts of Chinese synonyms written without one.
 */
describe('concepts in text without Chinese characters', () => {
  test('a fresh extractor reads an English message first, then Chinese, like one that read Chinese first', () => {
    const fresh = new FeatureExtractor(lexicon);
    const english = 'can I call 12363 about the visa fee';
    const chinese = '支付宝手续费太高，我想打12363';
    const first = [...fresh.features(english)].sort();
    expect(first).toEqual(expect.arrayContaining(['#regulator', '#card']));
    expect([...fresh.features(chinese)].sort()).toEqual(sortedFeatures(chinese));
    expect(first).toEqual(sortedFeatures(english));
  });
});
