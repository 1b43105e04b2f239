import { describe, expect, it } from 'vitest';
import { unpairedSurrogate } from '../../src/store/well-formed-text.js';

describe('unpairedSurrogate', () => {
  it('is undefined for well-formed text, pairs (emoji) included', () => {
    for (const text of ['', 'plain', 'tab\tand\nnewline', 'emoji 😀 and 𝄞', '\ud83d\ude00']) expect(unpairedSurrogate(text), text).toBeUndefined();
  });

  it('finds the first lone high or low surrogate and its position (UTF-16 index)', () => {
    expect(unpairedSurrogate('half \ud800 a pair')).toEqual({ index: 5, codeUnit: 0xd800 });
    expect(unpairedSurrogate('\udfff')).toEqual({ index: 0, codeUnit: 0xdfff });
    expect(unpairedSurrogate('end \ud83d')).toEqual({ index: 4, codeUnit: 0xd83d });
    expect(unpairedSurrogate('😀\ude00')).toEqual({ index: 2, codeUnit: 0xde00 }); // after a complete pair
    expect(unpairedSurrogate('\ud800\ud800\udc00')).toEqual({ index: 0, codeUnit: 0xd800 }); // high, then a pair
  });
});
