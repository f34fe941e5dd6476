import { withoutCourtesy } from '../../../src/nlu/courtesy';

describe('courtesy around a request', () => {
  it.each([
    [
      'The account has been locked, please help unlock it. Thanks a lot!',
      'The account has been locked, please help unlock it',
    ],
    ['Hi all, my alipay got frozen, any help appreciated', 'my alipay got frozen'],
    ['支付宝账号被锁了，麻烦帮忙解锁一下，谢谢', '支付宝账号被锁了，麻烦帮忙解锁一下'],
    ['你好，我的花呗被关了怎么办？求助', '我的花呗被关了怎么办？'],
    ['大家好，请问支付宝提现收费吗', '请问支付宝提现收费吗'],
  ])('%s is read without its greeting and thanks', (text, core) => {
    expect(withoutCourtesy(text)).toBe(core);
  });

  it.each([
    '谢谢',
    '好的谢谢',
    'thanks a lot!',
    'Hello',
    'ok thanks',
    'thank you so much, that worked',
    '谢谢你的帮助',
  ])('a message that is only courtesy stays as it is: %s', (text) => {
    expect(withoutCourtesy(text)).toBe(text);
  });
});
