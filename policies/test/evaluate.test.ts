import * as assert from "assert";
import { evaluate, summarize } from "../evaluate";
import { UNKNOWN_SENTINEL } from "../lib/values";
import { goodStack, rec, STACK } from "./fixtures";
import { byPolicy, policyNamed, run } from "./helpers";

const openSg = () => rec("aws:ec2/securityGroup:SecurityGroup", "open", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
const publicLb = (internal: unknown = false) => rec("aws:lb/loadBalancer:LoadBalancer", "lb", { internal, loadBalancerType: "network" });
const SG_RULE = "security-group-no-public-ingress";
const stackRecord = () => rec("pulumi:pulumi:Stack", `privatelink-platform-${STACK}`, {}, { custom: false });

describe("evaluate: engine semantics", () => {
    it("prefixes a string violation with the policy description, as the engine does", async () => {
        const [v] = await run([openSg()], [SG_RULE]);
        assert.strictEqual(v.message.split("\n")[0], policyNamed(SG_RULE).description);
        assert.strictEqual(v.urn, "urn:pulumi:dev::privatelink-platform::privatelink:index:Platform$privatelink:network:IsolatedVpc$aws:ec2/securityGroup:SecurityGroup::open");
        assert.strictEqual(v.enforcementLevel, "mandatory");
        assert.strictEqual(v.severity, "critical");
    });

    it("reports stack-wide findings with urn null", async () => {
        const [v] = await run([openSg()], ["vpc-single-tenant", "vpc-flow-logs-enabled"], {});
        assert.strictEqual(v, undefined);
        const { all } = goodStack();
        const vs = await run(all.filter((r) => r.name !== "orders-flow-log"), ["vpc-flow-logs-enabled"]);
        assert.strictEqual(vs[0].urn, all[0].urn, "reported against the VPC");
    });

    it("runs resource policies on registrations, not on reads (Resource.get)", async () => {
        assert.deepStrictEqual(await run([{ ...openSg(), op: "read" }], [SG_RULE]), []);
        assert.strictEqual((await run([{ ...openSg(), op: "create" }], [SG_RULE])).length, 1);
    });

    describe("enforcement levels", () => {
        it("takes the policy's default", async () => {
            assert.strictEqual((await run([publicLb()], ["load-balancer-deletion-protection"]))[0].enforcementLevel, "advisory");
        });
        it("takes a string level from config", async () => {
            const vs = await run([openSg()], [SG_RULE], { config: { [SG_RULE]: "advisory" } });
            assert.strictEqual(vs[0].enforcementLevel, "advisory");
        });
        it("takes an object level from config, over `all`", async () => {
            const vs = await run([openSg(), publicLb()], [SG_RULE, "load-balancer-internal"], { config: { all: "advisory", [SG_RULE]: { enforcementLevel: "mandatory" } } });
            assert.deepStrictEqual(vs.map((v) => [v.policy, v.enforcementLevel]), [[SG_RULE, "mandatory"], ["load-balancer-internal", "advisory"]]);
        });
        it("skips disabled policies and reports remediate as mandatory", async () => {
            assert.deepStrictEqual(await run([openSg()], [SG_RULE], { config: { [SG_RULE]: "disabled" } }), []);
            assert.strictEqual((await run([openSg()], [SG_RULE], { config: { all: "remediate" } }))[0].enforcementLevel, "mandatory");
        });
        it("rejects an invalid level like the CLI", async () => {
            await assert.rejects(run([openSg()], [SG_RULE], { config: { [SG_RULE]: "strict" as never } }), /invalid enforcement level "strict"/);
        });
    });

    describe("config", () => {
        it("applies configSchema defaults", async () => {
            const eks = rec("aws:eks/cluster:Cluster", "old", { version: "1.29" });
            assert.match((await run([eks], ["eks-minimum-version"]))[0].message, /below minimumVersion 1\.31/);
            assert.deepStrictEqual(await run([eks], ["eks-minimum-version"], { config: { "eks-minimum-version": { minimumVersion: "1.28" } } }), []);
        });
        it("rejects config that does not match the policy's schema, as the CLI does", async () => {
            const both = [SG_RULE, "endpoint-service-principals-restricted"];
            await assert.rejects(run([openSg()], both, { config: { "endpoint-service-principals-restricted": { allowedAccounts: "111111111111" } } }), /allowedAccounts: expected array, got string/);
            await assert.rejects(run([openSg()], both, { config: { "endpoint-service-principals-restricted": { allowedAccounts: ["12"] } } }), /allowedAccounts\[0\]: "12" does not match/);
            await assert.rejects(run([openSg()], [SG_RULE], { config: { [SG_RULE]: { exemptions: "none" } } }), /exemptions: expected array/);
        });
        it("accepts the shipped per-stack config files", async () => {
            for (const stack of ["dev", "prod"]) {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                await run([openSg()], undefined, { config: require(`../config/${stack}.json`) });
            }
        });
        it("ignores keys that are not policies, and then uses policies/config/<stack>.json", async () => {
            // Only a program's stack config was passed: the pack config for the URNs' stack applies (dev disables deletion protection).
            const vs = await evaluate([publicLb(true)], { mode: "up", config: { "aws:region": "us-east-1" }, policies: [policyNamed("load-balancer-deletion-protection")] });
            assert.strictEqual(STACK, "dev");
            assert.deepStrictEqual(vs, []);
            const explicit = await evaluate([publicLb(true)], { mode: "up", config: {}, policies: [policyNamed("load-balancer-deletion-protection")] });
            assert.strictEqual(explicit.length, 1);
        });
    });

    describe("unknown values", () => {
        it("turn a mandatory policy that reads them into the engine's preview advisory", async () => {
            const vs = await run([publicLb("<unknown>")], ["load-balancer-internal"], { mode: "preview" });
            assert.deepStrictEqual(vs.map((v) => [v.enforcementLevel, v.message, v.unknown]), [
                ["advisory", "can't run policy 'load-balancer-internal' from policy pack 'privatelink-platform@v0.1.0' during preview: string value at .internal can't be known during preview", true],
            ]);
            assert.strictEqual(summarize(vs).mandatory, 0);
        });
        it("keep findings reported before the unknown was touched", async () => {
            const r = rec("aws:ec2/securityGroup:SecurityGroup", "mixed", {
                ingress: [{ protocol: "tcp", fromPort: 1, toPort: 1, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "tcp", fromPort: 2, toPort: 2, cidrBlocks: "<unknown>" }],
            });
            const vs = await run([r], [SG_RULE], { mode: "preview" });
            assert.deepStrictEqual(vs.map((v) => v.enforcementLevel), ["mandatory", "advisory"]);
        });
        it("do not stop rules that only need to know a value is set, or that read other values", async () => {
            const eks = rec("eks:index:Cluster", "c", { endpointPublicAccess: false, encryptionConfigKeyArn: "<unknown>", authenticationMode: "API", version: "1.33", enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"] });
            const perm = rec("aws:lambda/permission:Permission", "p", { principal: "elasticloadbalancing.amazonaws.com", sourceArn: "<unknown>" });
            const repo = rec("aws:ecr/repository:Repository", "r", { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "<unknown>" }] });
            const names = ["eks-endpoint-private", "eks-secrets-encryption", "eks-authentication-mode-api", "eks-control-plane-logging", "eks-minimum-version", "lambda-permission-scoped", "ecr-kms-encryption"];
            assert.deepStrictEqual(await run([eks, perm, repo], names, { mode: "preview" }), []);
        });
        it("treat a hidden secret like an unknown, never as the literal \"[secret]\"", async () => {
            const vs = await run([rec("aws:iam/policy:Policy", "s", { policy: "[secret]" })], ["iam-no-wildcard-admin-statements"], { mode: "up" });
            assert.deepStrictEqual(vs.map((v) => [v.enforcementLevel, v.unknown]), [["advisory", true]]);
        });
        it("never reach rules as the raw marker or sentinel", async () => {
            const vs = await run([rec("aws:ec2/subnet:Subnet", "s", { mapPublicIpOnLaunch: "<unknown>" })], ["subnet-no-public-ip"], { mode: "preview" });
            assert.strictEqual(vs.length, 1);
            assert.ok(vs[0].unknown);
            assert.ok(!vs[0].message.includes(UNKNOWN_SENTINEL));
        });
    });
});

describe("exemptions", () => {
    const now = new Date("2026-11-26T12:00:00Z");
    const pattern = "urn:pulumi:dev::privatelink-platform::*$aws:ec2/securityGroup:SecurityGroup::op*";
    const exempt = (e: Record<string, unknown>) => ({ [SG_RULE]: { exemptions: [e] } });

    it("a valid exemption turns the violation into a reported, reasoned advisory", async () => {
        const vs = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: pattern, reason: "bastion for the migration window", expires: "2026-12-31" }) });
        assert.strictEqual(vs.length, 1);
        assert.strictEqual(vs[0].enforcementLevel, "advisory");
        assert.deepStrictEqual(vs[0].exemption, { resource: pattern, reason: "bastion for the migration window", expires: "2026-12-31" });
        assert.match(vs[0].message, /EXEMPTED until 2026-12-31 .*bastion for the migration window/);
        assert.match(vs[0].message, /0\.0\.0\.0\/0/, "the exempted finding is still named");
    });

    it("applies only to matching URNs", async () => {
        const vs = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: "urn:*::other", reason: "bastion for the migration window", expires: "2026-12-31" }) });
        assert.strictEqual(vs[0].enforcementLevel, "mandatory");
        assert.strictEqual(vs[0].exemption, undefined);
    });

    it("an expired exemption exempts nothing and is itself a violation", async () => {
        const vs = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: pattern, reason: "bastion for the migration window", expires: "2026-11-25" }) });
        assert.deepStrictEqual(vs.map((v) => v.enforcementLevel), ["mandatory", "mandatory"]);
        assert.ok(vs.some((v) => /expired on 2026-11-25/.test(v.message)));
        assert.ok(vs.every((v) => !v.exemption));
    });

    it("the expiry date is valid through that whole day", async () => {
        const vs = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: pattern, reason: "bastion for the migration window", expires: "2026-11-26" }) });
        assert.ok(vs[0].exemption);
    });

    it("a reasonless or undated exemption exempts nothing and is itself a violation", async () => {
        for (const e of [{ resource: pattern, reason: "tmp", expires: "2026-12-31" }, { resource: pattern, expires: "2026-12-31" }, { resource: pattern, reason: "long enough reason", expires: "soon" }]) {
            const vs = await run([openSg()], [SG_RULE], { now, config: exempt(e) });
            assert.strictEqual(vs.length, 2, JSON.stringify(e));
            assert.ok(vs.some((v) => /has no reason|no valid ISO `expires`/.test(v.message)), JSON.stringify(vs));
        }
    });

    it("an exemption for every resource exempts nothing and is itself a violation, even with nothing to exempt", async () => {
        for (const broad of ["*", "urn:*", "urn:pulumi:dev::*", "urn:*::*", "urn:pulumi:dev::privatelink-platform::*::*", "urn:*::?*"]) {
            const vs = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: broad, reason: "bastion for the migration window", expires: "2026-12-31" }) });
            assert.ok(vs.some((v) => v.enforcementLevel === "mandatory" && /matches every resource/.test(v.message)), `${broad}: ${JSON.stringify(vs)}`);
            assert.ok(vs.every((v) => !v.exemption), broad);
            const alone = await run([stackRecord()], [SG_RULE], { now, config: exempt({ resource: broad, reason: "bastion for the migration window", expires: "2026-12-31" }) });
            assert.deepStrictEqual(alone.map((v) => v.enforcementLevel), ["mandatory"], broad);
        }
        for (const narrow of [pattern, "urn:*::open", "urn:*$aws:ec2/securityGroup:SecurityGroup::*"]) {
            const vs = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: narrow, reason: "bastion for the migration window", expires: "2026-12-31" }) });
            assert.ok(vs.length === 1 && vs[0].exemption, `${narrow}: ${JSON.stringify(vs)}`);
        }
    });

    it("an exemption expiring more than 180 days after the evaluation exempts nothing and is itself a violation", async () => {
        const far = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: pattern, reason: "bastion for the migration window", expires: "2099-12-31" }) });
        assert.ok(far.some((v) => v.enforcementLevel === "mandatory" && /more than 180 days ahead \(the latest allowed today is 2027-05-25\)/.test(v.message)), JSON.stringify(far));
        assert.ok(far.every((v) => !v.exemption));
        const edge = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: pattern, reason: "bastion for the migration window", expires: "2027-05-25" }) });
        assert.ok(edge.length === 1 && edge[0].exemption, JSON.stringify(edge));
        const over = await run([openSg()], [SG_RULE], { now, config: exempt({ resource: pattern, reason: "bastion for the migration window", expires: "2027-05-26" }) });
        assert.ok(over.every((v) => !v.exemption));
    });

    it("a wildcard allowance of gateways allows nothing and is itself a violation", async () => {
        const igw = rec("aws:ec2/internetGateway:InternetGateway", "edge-igw", {});
        const rule = "no-internet-or-cross-vpc-gateways";
        for (const broad of ["*", "urn:pulumi:dev::*"]) {
            const vs = await run([stackRecord(), igw], [rule], { now, config: { [rule]: { allowedResources: [broad] } } });
            assert.deepStrictEqual(vs.map((v) => [v.enforcementLevel, v.urn === igw.urn]).sort(), [["mandatory", false], ["mandatory", true]], broad);
        }
        const ok = await run([stackRecord(), igw], [rule], { now, config: { [rule]: { allowedResources: ["urn:*::aws:ec2/internetGateway:InternetGateway::edge-igw"] } } });
        assert.deepStrictEqual(ok, []);
    });

    it("an exemption naming another policy is invalid", async () => {
        const vs = await run([openSg()], [SG_RULE], { now, config: exempt({ policy: "load-balancer-internal", resource: pattern, reason: "bastion for the migration window", expires: "2026-12-31" }) });
        assert.ok(vs.some((v) => /names policy "load-balancer-internal"/.test(v.message)));
    });

    it("works for stack policies, and reports their invalid exemptions once", async () => {
        const { all } = goodStack();
        const recs = all.filter((r) => r.name !== "orders-flow-log");
        const vpcUrn = all[0].urn;
        const ok = await run(recs, ["vpc-flow-logs-enabled"], { now, config: { "vpc-flow-logs-enabled": { exemptions: [{ resource: vpcUrn, reason: "flow logs via the org trail", expires: "2027-01-31" }] } } });
        assert.strictEqual(byPolicy(ok, "vpc-flow-logs-enabled")[0].exemption?.expires, "2027-01-31");
        const bad = await run(recs, ["vpc-flow-logs-enabled"], { now, config: { "vpc-flow-logs-enabled": { exemptions: [{ resource: vpcUrn, reason: "short", expires: "2027-01-31" }] } } });
        assert.deepStrictEqual(bad.map((v) => [v.enforcementLevel, v.urn === null]), [["mandatory", true], ["mandatory", false]]);
    });
});
