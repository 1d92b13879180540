import { assertRefused, cleanUp, planEdited, RedTeamCase } from "./harness";

/**
 * One mocha test per case and mode: in `up` every case must be a mandatory
 * violation of its expected policy; in `preview` too, unless the case is
 * marked previewMayDefer (then the engine's "can't run during preview"
 * advisory of that policy is accepted).
 */
export function redTeamSuite(title: string, cases: RedTeamCase[]): void {
    describe(title, function () {
        this.timeout(120_000);
        after(cleanUp);
        for (const c of cases) {
            for (const mode of ["up", "preview"] as const) {
                it(`${c.name} (${mode})`, async () => {
                    const r = await planEdited(c.edits, { mode, stackConfig: c.stackConfig, policyConfig: c.policyConfig, stack: c.stack });
                    assertRefused(c, r, mode);
                });
            }
        }
    });
}
