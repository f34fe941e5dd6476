import { EnglishCueIndex } from '../../src/text/englishCues';

/** English cues name a situation in the words people use, not only in the cue's own. */
describe('English cue phrases', () => {
  const index = new EnglishCueIndex([
    'huabei closed',
    'charged twice',
    'account frozen',
    'got restricted',
    'be my lawyer',
  ]);

  test.each<[string, string]>([
    ['my huabei was suddenly closed', 'huabei closed'],
    ['Huabei got shut off for no reason', 'huabei closed'],
    ['they closed my huabei', 'huabei closed'],
    ['I was charged twice', 'charged twice'],
    ['alipay billed me twice for one taxi', 'charged twice'],
    ['Alipay froze my account yesterday', 'account frozen'],
    ['my account has been frozen', 'account frozen'],
    ['got my account restricted', 'got restricted'],
  ])('%j names %j', (text, cue) => {
    expect(index.find(text)).toContain(cue);
  });

  test.each([
    'I paid for two things and was charged for both, then twice more',
    'my account is fine but huabei limit dropped',
    'the restricted area is closed',
    'should I get a lawyer',
  ])('%j names nothing', (text) => {
    expect(index.find(text)).toEqual([]);
  });
});
