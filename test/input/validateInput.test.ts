import { MAX_MESSAGE_CHARS, validateInput } from '../../src/input/validateInput';

describe('input limits', () => {
  it('accepts ordinary text and tidies its white space', () => {
    expect(validateInput('  支付宝   手续费\t太高  ')).toEqual({ ok: true, text: '支付宝 手续费 太高' });
  });

  it.each([
    ['', 'empty'],
    ['   \t ', 'empty'],
    ['\u0001\u0002\u0007', 'control_only'],
    ['\u200b\u200b', 'control_only'],
    ['bad \uFFFD bytes', 'invalid_encoding'],
    ['lone \uD800 surrogate', 'invalid_encoding'],
    ['x'.repeat(MAX_MESSAGE_CHARS + 1), 'too_long'],
  ])('names the problem with %j', (input, problem) => {
    expect(validateInput(input)).toEqual({ ok: false, problem });
  });

  it('counts characters, not UTF-16 units: 4000 emoji are allowed', () => {
    expect(validateInput('😀'.repeat(MAX_MESSAGE_CHARS)).ok).toBe(true);
  });

  it('removes control characters inside a real message', () => {
    expect(validateInput('手续\u0000费')).toEqual({ ok: true, text: '手续费' });
  });

  it('rejects what is not text', () => {
    expect(validateInput(42)).toEqual({ ok: false, problem: 'not_text' });
    expect(validateInput(undefined)).toEqual({ ok: false, problem: 'empty' });
  });
});
