// Fails when docs/dialects.md is not what scripts/generate-dialects-doc.ts produces from the
// registry. Regenerate with: node_modules/.bin/node scripts/generate-dialects-doc.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { DIALECT_REGISTRY } from '../../../gateway/core/dialects/dialect-registry.ts';
import { DIALECTS_DOC_PATH, renderDialectsDoc } from '../../../scripts/generate-dialects-doc.ts';

test('docs/dialects.md is current (regenerate: node_modules/.bin/node scripts/generate-dialects-doc.ts)', () => {
  assert.ok(existsSync(DIALECTS_DOC_PATH), 'docs/dialects.md is missing');
  assert.equal(readFileSync(DIALECTS_DOC_PATH, 'utf8'), renderDialectsDoc());
});

test('the doc has a section for every registered codec and every call it describes', () => {
  const doc = renderDialectsDoc();
  for (const { codec } of DIALECT_REGISTRY) {
    const d = codec.describe();
    const section = `### \`${d.id}\`${d.variant === undefined ? '' : ` (${d.variant})`}: `;
    assert.ok(doc.includes(section), section);
    for (const m of d.messages)
      assert.ok(
        doc.includes(
          `#### \`${m.kind}\`: ${m.call.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}`,
        ),
        `${d.id} ${m.kind}`,
      );
  }
});

test('a change in describe() data makes the generated doc differ', () => {
  const [first, ...rest] = DIALECT_REGISTRY;
  assert.ok(first !== undefined);
  const changed = {
    ...first,
    codec: { ...first.codec, describe: () => ({ ...first.codec.describe(), title: 'changed' }) },
  };
  assert.notEqual(renderDialectsDoc([changed, ...rest]), renderDialectsDoc());
});
