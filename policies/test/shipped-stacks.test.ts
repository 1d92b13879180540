// Not in `npm run test:quick`: it plans the shipped stacks offline.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { evaluate, PolicyConfigFile, ResourceRecord, summarize } from "../evaluate";
import { EvaluatePolicies } from "../../tools/preview";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { plan } from "../../test/helpers";
import { rules } from "../rules";
import { assertTrips, mandatory } from "./helpers";

/**
 * The shipped stacks, run through the offline preview (the program under
 * mocks), must plan with zero mandatory violations in both modes; and the
 * rules must see the program's real resource shapes: breaking a real record
 * trips the expected rule.
 */
const ROOT = path.resolve(__dirname, "..", "..");

/** Compile-time check of the contract with the offline preview, which loads policies/evaluate.ts by name. */
export const previewContract: EvaluatePolicies = evaluate;
const STACKS = fs
    .readdirSync(path.join(ROOT, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => !!s);

/** A stack's policy config: its environment's (a shard stack `dev.<shard>` uses dev's, as the workflow passes it). */
function packConfig(stack: string): PolicyConfigFile {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${envOf(stack)}.json`), "utf8")) as PolicyConfigFile;
}

function envOf(stack: string): string {
    return stack.split(".")[0];
}

/** consumer->provider edges declared by a stack file's catalog, the API front door's included. */
function catalogEdges(stack: string): string[] {
    const doc = YAML.parse(fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8"));
    const services = (doc.config["privatelink-platform:services"] ?? []) as { name: string; consumes?: string[]; expose?: { integration?: string } }[];
    // The front door's edge VPC consumes each exposed service it reaches through the VPC link (docs/front-door.md).
    const frontDoor = doc.config["privatelink-platform:platform"]?.frontDoor ? services.filter((s) => s.expose && s.expose.integration !== "lambda").map((s) => `front-door->${s.name}`) : [];
    return [...services.flatMap((s) => (s.consumes ?? []).map((p) => `${s.name}->${p}`)), ...frontDoor];
}

/** The stack file's `config:` map: what the engine hands the pack as PULUMI_CONFIG. */
function stackFileConfig(stack: string): Record<string, unknown> {
    return YAML.parse(fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")).config as Record<string, unknown>;
}

/**
 * What the engine hands the pack once the stack's account is set, as the
 * README's first deploy sets it (`aws:allowedAccountIds`): the account the
 * offline plan deploys into. As shipped it is { needsInput }, which `pulumi
 * preview` and `pulumi up` refuse before the pack runs.
 */
function declaredConfig(stack: string): Record<string, unknown> {
    return { ...stackFileConfig(stack), "aws:allowedAccountIds": [ACCOUNT_ID] };
}

/** The stack's plan, shared with every other test of the suite that plans it (test/helpers.ts `plan`). */
async function records(stack: string, mode: "preview" | "up"): Promise<ResourceRecord[]> {
    // A shard stack's siblings exist, none deployed (npm run env -- init creates them before wave 1).
    return (await plan(stackFileConfig(stack), mode, stack)).resources as unknown as ResourceRecord[];
}

function edit(rs: ResourceRecord[], match: (r: ResourceRecord) => boolean, change: (r: ResourceRecord) => ResourceRecord): ResourceRecord[] {
    let n = 0;
    const out = rs.map((r) => (match(r) ? (n++, change(structuredClone(r))) : r));
    assert.ok(n > 0, "the edit matched no record");
    return out;
}

describe("shipped stacks against the pack", function () {
    this.timeout(180_000);

    it("finds the shipped stacks and their policy configs", () => {
        assert.ok(STACKS.includes("dev") && STACKS.includes("prod"), JSON.stringify(STACKS));
        for (const s of STACKS) {
            assert.ok(fs.existsSync(path.join(ROOT, "policies", "config", `${envOf(s)}.json`)), `policies/config/${envOf(s)}.json`);
        }
    });

    for (const stack of STACKS) {
        for (const mode of ["preview", "up"] as const) {
            it(`${stack} plans with zero mandatory violations (${mode}), every mesh edge declared by the catalog`, async () => {
                const rs = await records(stack, mode);
                assert.ok(rs.length > 50, `${rs.length} resources`);
                const config = { ...packConfig(stack), "declared-edges-only": { declaredEdges: catalogEdges(stack) } };
                const vs = await evaluate(rs, { mode, config, stackConfig: declaredConfig(stack) });
                assert.deepStrictEqual(mandatory(vs).map((v) => `${v.policy}: ${v.message}`), []);
                assert.strictEqual(summarize(vs).mandatory, 0);
                // Every rule that could not decide in preview is documented as deciding after `up`.
                const undecided = [...new Set(vs.filter((v) => v.unknown).map((v) => v.policy))];
                assert.deepStrictEqual(undecided.filter((n) => !rules.find((r) => r.name === n)?.meta.afterUp), []);
            });
        }
    }

    describe("real records, broken on purpose (dev, up)", () => {
        const cfg = packConfig("dev");
        const run = async (rs: ResourceRecord[], extra: PolicyConfigFile = {}) =>
            mandatory(await evaluate(rs, { mode: "up", config: { ...cfg, ...extra }, stackConfig: declaredConfig("dev") }));

        it("the quotas the stack declares removed: VPCs per Region, Fargate and G and VT vCPUs exceed the AWS defaults", async () => {
            const rs = await records("dev", "up");
            const config = declaredConfig("dev");
            const platform = { ...(config["privatelink-platform:platform"] as Record<string, unknown>) };
            assert.ok(platform.quotas, "stacks/Pulumi.dev.yaml declares platform.quotas");
            delete platform.quotas;
            const vs = mandatory(await evaluate(rs, { mode: "up", config: cfg, stackConfig: { ...config, "privatelink-platform:platform": platform } }));
            // 9 service VPCs, the front door's edge VPC and the subscription handler's; the default VPC counts too.
            assertTrips(vs, "quotas-within-limits", "VPCs per Region (vpc L-F678F1CE", "the stack needs 12 VPCs", "--quota-code L-F678F1CE --desired-value 12 --region us-east-1");
            assertTrips(vs, "quotas-within-limits", "Fargate On-Demand vCPU resource count (fargate L-3032A538");
            assertTrips(vs, "quotas-within-limits", "Running On-Demand G and VT instances (ec2 L-DB2E81BA");
            assert.deepStrictEqual([...new Set(vs.map((v) => v.policy))], ["quotas-within-limits"]);
        });

        it("an internet-facing NLB", async () => {
            const rs = edit(await records("dev", "up"), (r) => r.type === "aws:lb/loadBalancer:LoadBalancer" && r.name === "orders-nlb", (r) => ({ ...r, inputs: { ...r.inputs, internal: false }, outputs: { ...r.outputs, internal: false } }));
            const vs = await run(rs);
            assertTrips(vs, "load-balancer-internal", "orders-nlb");
            assertTrips(vs, "endpoint-service-internal-nlb-only", "orders-nlb");
        });

        it("a mesh endpoint whose edge the catalog does not declare", async () => {
            const rs = await records("dev", "up");
            const vs = await run(rs, { "declared-edges-only": { declaredEdges: catalogEdges("dev").filter((e) => e !== "web->orders") } });
            assertTrips(vs, "declared-edges-only", 'edge "web->orders" is not in declaredEdges');
            const untagged = edit(rs, (r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && (r.inputs?.tags as Record<string, string>)?.["privatelink:edge"] === "web->orders", (r) => {
                const tags = { ...(r.inputs?.tags as Record<string, string>) };
                delete tags["privatelink:edge"];
                return { ...r, inputs: { ...r.inputs, tags }, outputs: { ...r.outputs, tags, tagsAll: tags } };
            });
            assertTrips(await run(untagged), "declared-edges-only", "no privatelink:edge tag");
        });

        it("one service's tasks in another service's VPC", async () => {
            const rs = await records("dev", "up");
            const paymentsSubnets = rs.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.name.startsWith("payments-")).map((r) => r.urn);
            assert.ok(paymentsSubnets.length >= 2);
            const moved = edit(rs, (r) => r.type === "aws:ecs/service:Service" && r.name === "orders-service", (r) => ({
                ...r,
                propertyDependencies: { ...r.propertyDependencies, networkConfiguration: paymentsSubnets },
            }));
            const vs = await run(moved);
            assertTrips(vs, "vpc-single-tenant", '"orders"', '"payments"');
            assertTrips(vs, "workload-in-owned-vpc", "orders-service");
        });

        it("the S3 endpoint policy the stacks shipped before (own account only) and a policy on ecs-agent are refused", async () => {
            const rs = await records("dev", "up");
            const isAwsEndpoint = (r: ResourceRecord, svc: string) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && typeof r.inputs?.serviceName === "string" && r.inputs.serviceName.endsWith(`.${svc}`) && r.inputs.serviceName.startsWith("com.amazonaws.");
            const s3 = rs.filter((r) => isAwsEndpoint(r, "s3"));
            assert.ok(s3.length >= 5, `${s3.length} S3 endpoints`);
            const accountOf = (policy: unknown) => JSON.stringify(policy).match(/"aws:PrincipalAccount\\?":\\?"(\d{12})/)?.[1];
            // The account condition is on the endpoints of services that declare a bucket (the others carry image layers only).
            const account = s3.map((e) => accountOf(e.inputs?.policy)).find((a) => a !== undefined);
            assert.ok(account, `no account condition in ${JSON.stringify(s3.map((e) => e.inputs?.policy))}`);
            const before = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": account } } }] });
            const old = edit(rs, (r) => isAwsEndpoint(r, "s3"), (r) => ({ ...r, inputs: { ...r.inputs, policy: before }, outputs: { ...r.outputs, policy: before } }));
            const vs = await run(old);
            for (const e of s3) {
                assertTrips(vs, "s3-gateway-admits-ecr-layers", `"${e.name}"`, "denies ECR's layer download", "starport-layer-bucket");
            }
            const agent = edit(rs, (r) => isAwsEndpoint(r, "ecs-agent"), (r) => ({ ...r, inputs: { ...r.inputs, policy: before } }));
            assertTrips(await run(agent), "endpoint-policy-supported", "ecs-agent", "only the full-access endpoint policy");
        });

        it("an internet gateway and a shared task role", async () => {
            const rs = await records("dev", "up");
            const vpc = rs.find((r) => r.type === "aws:ec2/vpc:Vpc" && r.name === "web-vpc")!;
            const igw: ResourceRecord = { ...structuredClone(vpc), type: "aws:ec2/internetGateway:InternetGateway", name: "web-igw", urn: vpc.urn.replace(/aws:ec2\/vpc:Vpc::web-vpc$/, "aws:ec2/internetGateway:InternetGateway::web-igw"), inputs: { vpcId: "vpc-1" }, propertyDependencies: { vpcId: [vpc.urn] } };
            const ordersTaskRole = rs.find((r) => r.type === "aws:iam/role:Role" && r.name.startsWith("orders-") && /task/.test(r.name) && !/exec/.test(r.name));
            assert.ok(ordersTaskRole, rs.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.name).join(", "));
            const shared = edit([...rs, igw], (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.name.startsWith("payments"), (r) => ({
                ...r,
                propertyDependencies: { ...r.propertyDependencies, taskRoleArn: [ordersTaskRole.urn] },
            }));
            const vs = await run(shared);
            assertTrips(vs, "no-internet-or-cross-vpc-gateways", "web-igw");
            assertTrips(vs, "iam-role-per-service", ordersTaskRole.name, '"orders"', '"payments"');
        });

        it("the placeholders the dev stack once shipped: a documentation CIDR, an access entry and a partner in documentation accounts", async () => {
            const rs = await records("dev", "up");
            const cluster = rs.find((r) => r.type === "eks:index:Cluster")!;
            const entry: ResourceRecord = {
                ...structuredClone(cluster),
                type: "aws:eks/accessEntry:AccessEntry",
                name: "search-access-admin",
                urn: cluster.urn.replace(/eks:index:Cluster::search-eks$/, "aws:eks/accessEntry:AccessEntry::search-access-admin"),
                inputs: { clusterName: "dev-search", principalArn: "arn:aws:iam::123456789012:role/platform-admin", type: "STANDARD" },
                outputs: {},
                propertyDependencies: {},
            };
            let placeholders = edit([...rs, entry], (r) => r.urn === cluster.urn, (r) => ({ ...r, inputs: { ...r.inputs, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } }));
            placeholders = edit(placeholders, (r) => r.type === "aws:ec2/vpcEndpointService:VpcEndpointService" && r.name === "payments-endpoint-service", (r) => ({
                ...r,
                inputs: { ...r.inputs, allowedPrincipals: [...((r.inputs?.allowedPrincipals ?? []) as string[]), "arn:aws:iam::444455556666:role/settlement-reader"] },
            }));
            const vs = await run(placeholders);
            assertTrips(vs, "eks-public-access-cidrs", "search-eks", "203.0.113.0/24");
            assertTrips(vs, "eks-access-entry-principal", "search-access-admin", "123456789012");
            assertTrips(vs, "endpoint-service-principals-restricted", "payments-endpoint-service", "444455556666");
        });
    });
});
