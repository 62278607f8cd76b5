/**
 * A tiny parser for the Python literal dict of a .npy header, e.g.
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5, 4), }`: string keys; values that are
 * strings, True/False/None, integers, or tuples/lists of those. No eval.
 */
export type PyValue = string | number | boolean | null | PyValue[];

/** Parses the dict; throws RangeError (prefixed with `what`) at the first unexpected character. */
export function parsePyDict(text: string, what: string): Record<string, PyValue> {
  let i = 0;
  const fail = (msg: string): never => {
    throw new RangeError(`${what}: header ${msg} at character ${i} of ${JSON.stringify(text.slice(0, 120))}`);
  };
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const str = (): string => {
    const q = text[i++];
    let s = '';
    while (i < text.length && text[i] !== q) {
      if (text[i] === '\\') fail('has an escape sequence (not supported)');
      s += text[i++];
    }
    if (i >= text.length) fail('has an unterminated string');
    i++;
    return s;
  };
  const seq = (close: string): PyValue[] => {
    i++;
    const items: PyValue[] = [];
    for (;;) {
      ws();
      if (text[i] === close) {
        i++;
        return items;
      }
      items.push(value());
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== close) fail(`expected ',' or '${close}'`);
    }
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (c === '(') return seq(')');
    if (c === '[') return seq(']');
    const m = /^(True|False|None|-?\d+)L?/.exec(text.slice(i, i + 32));
    if (!m) return fail('has an unexpected value');
    i += m[0].length;
    if (m[1] === 'True') return true;
    if (m[1] === 'False') return false;
    if (m[1] === 'None') return null;
    return Number(m[1]);
  };
  ws();
  if (text[i] !== '{') fail("must start with '{'");
  i++;
  const out: Record<string, PyValue> = {};
  for (;;) {
    ws();
    if (text[i] === '}') {
      i++;
      break;
    }
    if (text[i] !== "'" && text[i] !== '"') fail('expected a string key');
    const k = str();
    ws();
    if (text[i] !== ':') fail("expected ':'");
    i++;
    const v = value();
    if (Object.prototype.hasOwnProperty.call(out, k)) fail(`repeats key '${k}'`);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail("expected ',' or '}'");
  }
  ws();
  if (i !== text.length) fail('has trailing characters');
  return out;
}
