/** The language server process links each diagnostic to its rule's row in the README beside its bundle (any LSP client, no options). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLanguageServer } from '../support/lspProcess';

test('diagnostics over LSP carry a codeDescription link to an existing README row', async () => {
  const server = await startLanguageServer();
  try {
    const uri = 'file:///work/links.coupon.json';
    server.open(uri, '{"CouponSeriesV2": {"discountType": "HALF", "validTillDate": "2029-05-10T00:00:00+05:30"}}');
    const diagnostics = await server.diagnostics(uri);
    assert.ok(diagnostics.length > 0);
    for (const diagnostic of diagnostics) {
      const href = diagnostic.codeDescription?.href ?? '';
      const [file, anchor] = href.split('#');
      assert.equal(anchor, `rule-${String(diagnostic.code)}`, href);
      assert.ok(existsSync(fileURLToPath(file)), href);
      assert.ok(readFileSync(fileURLToPath(file), 'utf8').includes(`<a id="${anchor}"></a>`), `${href} names a row of the rule table`);
    }
  } finally {
    await server.stop();
  }
});
