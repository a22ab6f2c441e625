/** The language server process links each diagnostic to its rule's page beside its bundle (any LSP client, no options). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLanguageServer } from '../support/lspProcess';

test("diagnostics over LSP carry a codeDescription link to their rule's page", async () => {
  const server = await startLanguageServer();
  try {
    const uri = 'file:///work/links.coupon.json';
    server.open(uri, '{"CouponSeriesV2": {"discountType": "HALF", "validTillDate": "2029-05-10T00:00:00+05:30"}}');
    const diagnostics = await server.diagnostics(uri);
    assert.ok(diagnostics.length > 0);
    for (const diagnostic of diagnostics) {
      const href = diagnostic.codeDescription?.href ?? '';
      assert.ok(href.endsWith(`/docs/rules/${String(diagnostic.code)}.md`), href);
      const page = fileURLToPath(href);
      assert.ok(existsSync(page), href);
      assert.ok(readFileSync(page, 'utf8').includes(`# \`${String(diagnostic.code)}\``), `${href} is the page of ${String(diagnostic.code)}`);
    }
  } finally {
    await server.stop();
  }
});
