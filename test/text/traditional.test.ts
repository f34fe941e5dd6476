import { normalizeText, readAsMandarin } from '../../src/text/normalize';
import { scriptOf, toTraditional } from '../../src/text/script';

/** Replies to people who write traditional characters read as a Taiwanese reader would write them. */
describe('simplified → traditional replies', () => {
  test.each<[string, string]>([
    ['找发卡行问一下', '找發卡行問一下'],
    ['按银发〔2021〕259号', '按銀發〔2021〕259號'],
    ['别接受商家私下转账', '別接受商家私下轉賬'],
    ['最多只能接受0.5%', '最多只能接受0.5%'],
    ['不是只说一句', '不是只說一句'],
    ['不明扣费说明', '不明扣費說明'],
    ['账户一出事影响生意', '賬戶一出事影響生意'],
    ['承诺里写着一周', '承諾裡寫著一週'],
    ['钱到卡里被扣了', '錢到卡裡被扣了'],
    ['解封后考虑', '解封後考慮'],
    ['我们折个中', '我們折個中'],
    ['我说话太冲了', '我說話太衝了'],
    ['合同里写明了这个', '合同裡寫明了這個'],
  ])('%j → %j', (simplified, traditional) => {
    expect(toTraditional(simplified)).toBe(traditional);
  });

  test('what it writes is read back as traditional', () => {
    expect(scriptOf(toTraditional('退款一直没到账，找发卡行问问'))).toBe('traditional');
  });
});

/** The NLU reads written Cantonese as the Mandarin it learnt; replies and script detection do not. */
describe('written Cantonese, for the NLU', () => {
  test.each<[string, string]>([
    ['點樣搵人工客服', '怎样找人工客服'],
    ['係咪要開通跨境支付？', '是不是要开通跨境支付?'],
    ['去深圳俾錢成日俾拒絕', '去深圳给钱经常被拒绝'],
    ['我嘅賬戶冇咗', '我的账户没有了'],
  ])('%j reads as %j', (cantonese, mandarin) => {
    expect(readAsMandarin(cantonese)).toBe(mandarin);
  });

  test('Mandarin that shares a character is left alone', () => {
    expect(readAsMandarin('支付宝系统维护，申请仲裁')).toBe('支付宝系统维护,申请仲裁');
  });

  test('everything else reads the text as written', () => {
    expect(normalizeText('點樣搵人工客服')).toBe('点样揾人工客服');
    expect(scriptOf('點樣搵人工客服')).toBe('traditional');
  });
});
