/**
 * Red-team cases for what services may do with data: a grant widened beyond
 * the declared access, a wildcard planted on a task role, a store's resource
 * policy admitting a service that declares no use of it, a secret read that
 * no service declared. Each is a realistic edit to the program or a
 * component, planned offline and judged by the real pack in both modes.
 */
import * as assert from "assert";
import { plan, PROJECT } from "../helpers";
import { Edit, RedTeamCase, redTeamCatalog } from "./harness";
import { redTeamSuite } from "./run";

const RULE = "data-grants-declared";

/** The red-team catalog, with orders owning a table and a queue, web reading the table, notifier consuming the queue, payments reading a secret. */
function withNeeds(): Record<string, unknown> {
    const config = redTeamCatalog();
    const services = (config[`${PROJECT}:services`] as Record<string, unknown>[]).map(s => {
        switch (s.name) {
            case "orders": return { ...s, data: [{ name: "orders", type: "dynamodb" }, { name: "events", type: "sqs" }] };
            case "web": return { ...s, uses: [{ service: "orders", data: "orders", access: "read" }] };
            case "notifier": return { ...s, uses: [{ service: "orders", data: "events", access: "consume" }] };
            case "payments": return { ...s, secrets: { PSP_KEY: { ssm: "/test/payments/psp" } } };
            default: return s;
        }
    });
    return { ...config, [`${PROJECT}:services`]: services };
}

/** Code added to every ECS service's task roles (components/runtimes/ecs.ts), with `taskRole`, `name`, `partition`, `region`, `accountId`, `opts` in scope. */
const inEcsTask = (code: string): Edit[] => [{ file: "components/runtimes/ecs.ts", before: "    return { logGroup, executionRole, taskRole };", insert: `${code}\n` }];

const cases: RedTeamCase[] = [
    {
        name: "a reader's grant widened to PutItem in the grant derivation",
        edits: [{ file: "components/serviceAccess.ts", replace: ["        Action: grant.actions,", "        Action: [...grant.actions, \"dynamodb:PutItem\"],"] }],
        expect: RULE,
        previewMayDefer: true,
    },
    {
        name: "dynamodb:* on every resource, on every ECS task role",
        edits: inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-tables\`, { role: taskRole.id, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }] }) }, opts);`),
        expect: RULE,
        previewMayDefer: true,
    },
    {
        name: "a store's resource policy admits a service that declares no use of it",
        edits: [{ file: "components/serviceAccess.ts", replace: ["const role = args.workloads.get(grant.principal)?.appRole;", "const role = args.workloads.get(grant.from === \"uses\" ? \"payments\" : grant.principal)?.appRole;"] }],
        expect: RULE,
        previewMayDefer: true,
    },
    {
        name: "every secret of the account readable by the ECS task roles",
        edits: inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-secrets\`, { role: taskRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: pulumi.interpolate\`arn:\${partition}:secretsmanager:\${region}:\${accountId}:secret:*\` }] }) }, opts);`),
        expect: RULE,
        previewMayDefer: true,
    },
];

redTeamSuite("red team: data and secrets", cases.map(c => ({ ...c, stackConfig: withNeeds() })));

describe("red team: data and secrets, unedited", function () {
    this.timeout(120_000);
    it("the catalog the cases edit plans without a finding of the rule, so each finding is the edit's", async () => {
        const r = await plan(withNeeds(), "up");
        assert.deepStrictEqual(r.violations.filter(v => v.policy === RULE).map(v => v.message), []);
        assert.ok(r.resources.some(x => x.type === "aws:dynamodb/resourcePolicy:ResourcePolicy"));
    });
});
