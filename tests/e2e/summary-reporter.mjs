// node --test reporter that prints one line at the end: "e2e: N passed, M failed[, K skipped]".
// Counts individual tests, not describe() suites. A file that fails outside any test (a syntax
// error, a failing before/after hook) counts as one failure. Used next to the spec reporter.

export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    const data = event.data ?? {};
    if (data.details?.type === 'suite') continue;
    if (event.type === 'test:pass') {
      if (data.skip || data.todo) skipped += 1;
      else passed += 1;
    } else if (event.type === 'test:fail') {
      // A parent whose only problem is failing children was counted through the children.
      if (data.details?.error?.failureType === 'subtestsFailed') continue;
      failed += 1;
    }
  }
  yield `e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
