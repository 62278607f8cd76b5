/**
 * The step both wasm build scripts share (scripts/build-wasm.mjs, scripts/build-f64-wasm.mjs): compile
 * WebAssembly text with wabt, check that this Node can compile the bytes (relaxed SIMD only where the
 * engine has it), and write them, base64 in lines of 100 characters, as a committed TypeScript module
 * exporting one string constant.
 */
import { writeFileSync } from 'node:fs';

/**
 * @param {object} wabt - the initialized `wabt` module
 * @param {{ name: string, text: string, features: object, relaxed: boolean, out: string, constName: string, header: string[] }} o
 *   `header`: the comment lines above the constant (without `// `), the byte count filled in for `{bytes}`
 */
export function embedWasm(wabt, { name, text, features, relaxed, out, constName, header }) {
  const mod = wabt.parseWat(`${name}.wat`, text, { ...features, relaxed_simd: relaxed });
  mod.validate();
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const bytes = Buffer.from(buffer);
  if (!relaxed || WebAssembly.validate(bytes)) new WebAssembly.Module(bytes);
  const lines = bytes.toString('base64').match(/.{1,100}/g) ?? [];
  writeFileSync(
    out,
    header.map((h) => `// ${h.replace('{bytes}', String(bytes.length))}\n`).join('') +
      `export const ${constName} =\n` +
      lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n') +
      '\n',
  );
  console.log(`wrote ${out} (${bytes.length} bytes)`);
}
