import * as assert from "assert";
import { findProblems, RawCatalog, validateCatalog } from "../../components/catalog";
import { dataGrants, declaredApis, readNeeds, serviceEndpoints } from "../../policies/lib/service-needs";

function svc(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, runtime: "fargate", port: 8080, image: "1.0.0", ...extra };
}

const SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:payments/db-AbC123";

function problemsAt(raw: RawCatalog, path: string): string[] {
    return findProblems(raw, { stack: "dev" }).problems.filter(p => p.path === path).map(p => p.message);
}

function expectOne(raw: RawCatalog, path: string, message: RegExp, stack = "dev"): void {
    const all = findProblems(raw, { stack }).problems;
    const found = all.filter(p => p.path === path);
    assert.strictEqual(found.length, 1, `expected one problem at ${path}, got ${JSON.stringify(all, null, 1)}`);
    assert.match(found[0].message, message);
}

const orders = svc("orders", { data: [{ name: "orders", type: "dynamodb" }, { name: "events", type: "sqs" }] });

describe("catalog: what a service needs (data, uses, secrets, aws)", () => {
    it("accepts stores, uses, secrets and APIs, with defaults", () => {
        const c = validateCatalog({
            services: [
                orders,
                svc("web", { uses: [{ service: "orders", data: "orders", access: "read" }], secrets: { DB: SECRET, TOKEN: { ssm: "/web/token" } }, aws: [{ api: "sts", reason: "assumes the partner's role" }] }),
            ],
        }, { stack: "dev" });
        assert.deepStrictEqual(c.services[0].data.map(d => d.type), ["dynamodb", "sqs"]);
        assert.deepStrictEqual(c.services[0].uses, []);
        assert.deepStrictEqual(c.services[0].secrets, {});
        assert.deepStrictEqual(c.services[1].secrets, { DB: SECRET, TOKEN: { ssm: "/web/token" } });
    });

    it("refuses a use of an unknown service or store, naming the path and what exists", () => {
        expectOne({ services: [orders, svc("web", { uses: [{ service: "ordres", data: "orders", access: "read" }] })] }, "services[1].uses[0].service", /unknown service "ordres" \(did you mean "orders"\?\)/);
        expectOne({ services: [orders, svc("web", { uses: [{ service: "orders", data: "order", access: "read" }] })] }, "services[1].uses[0].data", /orders declares no store "order" \(did you mean "orders"\?\) \(its data: orders, events\)/);
        expectOne({ services: [svc("catalog"), svc("web", { uses: [{ service: "catalog", data: "images", access: "read" }] })] }, "services[1].uses[0].data", /catalog owns no data: declare it in catalog's data first/);
    });

    it("refuses an access the store's type does not have", () => {
        expectOne({ services: [orders, svc("web", { uses: [{ service: "orders", data: "events", access: "read" }] })] }, "services[1].uses[0].access", /a sqs store takes write or consume, not read/);
        expectOne({ services: [orders, svc("web", { uses: [{ service: "orders", data: "orders", access: "delete" }] })] }, "services[1].uses[0].access", /unknown access "delete"; use one of read, write, consume/);
    });

    it("refuses a use of the service's own store, and a duplicate", () => {
        expectOne({ services: [svc("orders", { data: [{ name: "t", type: "dynamodb" }], uses: [{ service: "orders", data: "t", access: "read" }] })] }, "services[0].uses[0].service", /owns "t" already/);
        const twice = { service: "orders", data: "orders", access: "read" };
        expectOne({ services: [orders, svc("web", { uses: [twice, twice] })] }, "services[1].uses[1]", /listed twice/);
    });

    it("refuses duplicate stores, a type-specific field on another type, an unknown type", () => {
        expectOne({ services: [svc("orders", { data: [{ name: "t", type: "dynamodb" }, { name: "t", type: "sqs" }] })] }, "services[0].data[1].name", /declared twice/);
        expectOne({ services: [svc("orders", { data: [{ name: "t", type: "sqs", hashKey: { name: "id", type: "S" } }] })] }, "services[0].data[0].hashKey", /only for type dynamodb \(this store is sqs\)/);
        expectOne({ services: [svc("orders", { data: [{ name: "t", type: "rds" }] })] }, "services[0].data[0].type", /unknown store type "rds"; use one of dynamodb, s3, sqs, sns/);
    });

    it("refuses a bucket whose name would not fit S3's 63 characters", () => {
        expectOne({ services: [svc("a-long-service-name", { data: [{ name: "a-long-bucket-name", type: "s3" }] })] }, "services[0].data[0].name", /S3 allows 63/, "staging-europe");
        assert.deepStrictEqual(problemsAt({ services: [svc("a-long-service-name", { data: [{ name: "a-long-bucket-name", type: "s3" }] })] }, "services[0].data[0].name"), []);
    });

    it("refuses a secret also in plain environment, and a secret that is not an ARN or parameter", () => {
        expectOne({ services: [svc("web", { secrets: { DB: SECRET }, environment: { DB: "hunter2" } })] }, "services[0].environment.DB", /never goes in plain environment/);
        expectOne({ services: [svc("web", { secrets: { DB: "hunter2" } })] }, "services[0].secrets.DB", /must be \{ secretsManager: <the secret's full ARN/);
        expectOne({ services: [svc("web", { secrets: { DB: { secretsManager: "payments/db" } } })] }, "services[0].secrets.DB.secretsManager", /not a secret's full ARN/);
    });

    it("takes a secret as needs-input, planned as absent and listed with the command that sets it", () => {
        const c = validateCatalog({ services: [svc("payments", { secrets: { DB_PASSWORD: { needsInput: "the ledger database password" } } })] }, { stack: "dev" });
        assert.deepStrictEqual(c.services[0].secrets, {});
        assert.strictEqual(c.needsInput.length, 1);
        assert.strictEqual(c.needsInput[0].path, "services[0].secrets.DB_PASSWORD");
        assert.match(c.needsInput[0].set[0], /pulumi config set --stack dev --path 'privatelink-platform:services\[0\]\.secrets\.DB_PASSWORD' 'arn:aws:secretsmanager:/);
    });

    it("refuses an aws entry without a reason, one the declarations imply, and s3/dynamodb", () => {
        expectOne({ services: [svc("web", { aws: [{ api: "sts", reason: "" }] })] }, "services[0].aws[0].reason", /say why/);
        expectOne({ services: [svc("web", { secrets: { DB: SECRET }, aws: [{ api: "secretsmanager", reason: "reads its password" }] })] }, "services[0].aws[0].api", /follows already/);
        expectOne({ services: [svc("web", { aws: [{ api: "s3", reason: "reads a partner's bucket" }] })] }, "services[0].aws[0].api", /gateway endpoint/);
    });

    it("takes a reasoned permission, and refuses wildcards, escalation, data APIs, * and other accounts", () => {
        const perm = (p: Record<string, unknown>) => ({ services: [svc("ml", { permissions: [{ actions: ["events:PutEvents"], resources: ["arn:{partition}:events:{region}:{account}:event-bus/ml"], reason: "publishes batches to the ML bus", ...p }] })] });
        assert.deepStrictEqual(findProblems(perm({}), { stack: "dev" }).problems, []);
        assert.deepStrictEqual(findProblems(perm({ actions: ["cloudwatch:Describe*"] }), { stack: "dev" }).problems, []);
        expectOne(perm({ reason: "" }), "services[0].permissions[0].reason", /say why/);
        expectOne(perm({ actions: ["events:*"] }), "services[0].permissions[0].actions[0]", /wildcard action is allowed only for one service's read actions/);
        expectOne(perm({ actions: ["*"] }), "services[0].permissions[0].actions[0]", /not an IAM action/);
        expectOne(perm({ actions: ["iam:PassRole"] }), "services[0].permissions[0].actions[0]", /privilege-escalation method/);
        expectOne(perm({ actions: ["iam:Put*Policy"] }), "services[0].permissions[0].actions[0]", /wildcard action|privilege-escalation/);
        expectOne(perm({ actions: ["dynamodb:GetItem"] }), "services[0].permissions[0].actions[0]", /declared through data or uses/);
        expectOne(perm({ actions: ["ssm:GetParameter"] }), "services[0].permissions[0].actions[0]", /read through secrets/);
        expectOne(perm({ resources: ["*"] }), "services[0].permissions[0].resources[0]", /grants every resource/);
        expectOne(perm({ resources: ["arn:aws:events:us-east-1:210987654321:event-bus/theirs"] }), "services[0].permissions[0].resources[0]", /the stack's own account only/);
        expectOne(perm({ resources: ["arn:{partition}:events:{region}:{account}:event-bus/*"] }), "services[0].permissions[0].resources[0]", /has a wildcard/);
    });

    it("takes triggers on a lambda service for a queue it consumes or owns, and refuses the rest", () => {
        const fn = (extra: Record<string, unknown>) => ({ name: "worker", runtime: "lambda", port: 8080, function: { code: "services/notifier" }, ...extra });
        const consume = { uses: [{ service: "orders", data: "events", access: "consume" }] };
        assert.deepStrictEqual(findProblems({ services: [orders, fn({ ...consume, triggers: [{ queue: { service: "orders", data: "events" } }, { schedule: "cron(0 3 * * ? *)" }] })] }, { stack: "dev" }).problems, []);
        expectOne({ services: [orders, fn({ triggers: [{ queue: { service: "orders", data: "events" } }] })] }, "services[1].triggers[0].queue", /neither owns nor consumes orders's queue events: add \{ service: orders, data: events, access: consume \}/);
        expectOne({ services: [orders, svc("web", { ...consume, triggers: [{ schedule: "rate(1 hour)" }] })] }, "services[1].triggers", /only a lambda service can be triggered \(this service is fargate\)/);
        expectOne({ services: [fn({ triggers: [{ schedule: "every 5 minutes" }] })] }, "services[0].triggers[0].schedule", /is not an EventBridge schedule: use rate\(5 minutes\)/);
    });

    it("refuses uses across shards", () => {
        const raw: RawCatalog = {
            services: [orders, svc("web", { uses: [{ service: "orders", data: "orders", access: "read" }] })],
            shards: [{ name: "a", services: ["orders"] }, { name: "b", services: ["web"] }],
        };
        expectOne(raw, "services[1].uses[0]", /orders is in shard a and web in shard b: access to another shard's data is not supported yet/);
        assert.deepStrictEqual(problemsAt({ ...raw, shards: [{ name: "a", services: ["orders", "web"] }] }, "services[1].uses[0]"), []);
    });
});

describe("service needs: one derivation of grants and APIs", () => {
    const needs = readNeeds([
        orders,
        svc("web", { uses: [{ service: "orders", data: "orders", access: "read" }, { service: "orders", data: "events", access: "write" }], secrets: { DB: SECRET } }),
        svc("worker", { uses: [{ service: "orders", data: "events", access: "consume" }], aws: [{ api: "sts", reason: "x" }] }),
        svc("idle"),
    ]);

    it("grants each owner every access on its stores and each user exactly what it declares", () => {
        const grants = dataGrants(needs).map(g => `${g.principal} ${g.owner}/${g.data} ${g.accesses.join("+")}`);
        assert.deepStrictEqual(grants, [
            "orders orders/orders read+write",
            "orders orders/events write+consume",
            "web orders/orders read",
            "web orders/events write",
            "worker orders/events consume",
        ]);
        const read = dataGrants(needs).find(g => g.principal === "web" && g.data === "orders")!;
        assert.deepStrictEqual(read.actions, ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]);
        assert.ok(!read.actions.some(a => /Put|Delete|Update|\*/.test(a)));
    });

    it("derives the AWS APIs from data, uses, secrets and aws", () => {
        assert.deepStrictEqual(declaredApis("orders", needs), { gateway: ["dynamodb"], interface: ["sqs"] });
        assert.deepStrictEqual(declaredApis("web", needs), { gateway: ["dynamodb"], interface: ["secretsmanager", "sqs"] });
        assert.deepStrictEqual(declaredApis("worker", needs), { gateway: [], interface: ["sqs", "sts"] });
        assert.deepStrictEqual(declaredApis("idle", needs), { gateway: [], interface: [] });
        assert.deepStrictEqual(serviceEndpoints({ interface: ["ecr.api", "logs"], gateway: ["s3"] }, "web", [orders, svc("web", { uses: [{ service: "orders", data: "orders", access: "read" }] })]),
            { interface: ["ecr.api", "logs"], gateway: ["s3", "dynamodb"] });
    });
});
