/**
 * Where `text` holds a surrogate without its other half (not a Unicode character, not representable in
 * UTF-8: PostgreSQL would store U+FFFD instead, a terminal would show garbage), or undefined when it is
 * well-formed. `String.prototype.isWellFormed` answers the common case natively; only a bad text is
 * walked to find the position for the message.
 */
export function unpairedSurrogate(text: string): { index: number; codeUnit: number } | undefined {
  if (text.isWellFormed()) return undefined;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(index + 1); // NaN past the end
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      index += 1; // a pair: skip its low half
      continue;
    }
    return { index, codeUnit: unit };
  }
  return undefined;
}
