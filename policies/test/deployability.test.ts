import * as assert from "assert";
import { ResourceRecord } from "../evaluate";
import { ecrLayerAccess } from "../lib/ecr-layer-access";
import { ENDPOINT_POLICY_SUPPORT, parseAwsServiceName } from "../facts/endpoint-policy-support";
import { parsePolicyDocument } from "../lib/policydoc";
import { ACCOUNT, fargateService, goodStack, rec, svcTags } from "./fixtures";
import { assertClean, assertTrips, byPolicy, run } from "./helpers";

/**
 * The deployability rules on hand-built stacks: `s3-gateway-admits-ecr-layers`
 * (a stack rule) and the shared endpoint-policy data. Resource cases of
 * `endpoint-policy-supported` are in cases.ts; the shipped stacks in
 * shipped-stacks.test.ts.
 */

const RULE = "s3-gateway-admits-ecr-layers";
const LAYERS = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*";
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const OWN = { Sid: "Own", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } };
const LAYER_STATEMENT = { Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: LAYERS };

function setS3Policy(records: ResourceRecord[], service: string, policy: unknown): ResourceRecord[] {
    let n = 0;
    const out = records.map((r) => (r.name === `${service}-s3` ? (n++, { ...r, inputs: { ...r.inputs, policy } }) : r));
    assert.strictEqual(n, 1);
    return out;
}
const check = (records: ResourceRecord[], mode: "up" | "preview" = "up") => run(records, [RULE], { mode });

describe(`${RULE}: compliant stacks`, () => {
    it("the account's own principals plus ECR's layer bucket for any principal (the documented statement)", async () => {
        assertClean(await check(goodStack().all), RULE);
    });

    it("no policy at all (AWS's default full access)", async () => {
        const { all } = goodStack();
        assertClean(await check(setS3Policy(all, "orders", undefined)), RULE);
    });

    it("a Deny that spares the layer bucket (NotResource) next to the layer statement", async () => {
        const { all } = goodStack();
        const policy = doc(OWN, LAYER_STATEMENT, { Effect: "Deny", Principal: "*", Action: "s3:PutObject", NotResource: ["arn:aws:s3:::orders-data/*"] });
        assertClean(await check(setS3Policy(all, "orders", policy)), RULE);
    });

    it("a VPC with NAT and no S3 endpoint: layers go through NAT", async () => {
        const orders = fargateService("orders");
        const nat = rec("aws:ec2/natGateway:NatGateway", "orders-nat", { subnetId: "<unknown>" }, { deps: { subnetId: orders.subnets[0] } });
        assertClean(await check([...orders.all.filter((r) => r.name !== "orders-s3"), nat]), RULE);
    });

    it("a VPC where nothing pulls images (a Lambda VPC with no endpoints)", async () => {
        const vpc = rec("aws:ec2/vpc:Vpc", "fn-vpc", { cidrBlock: "10.9.0.0/16", tags: svcTags("fn") });
        const subnet = rec("aws:ec2/subnet:Subnet", "fn-a", { vpcId: "<unknown>", cidrBlock: "10.9.0.0/24" }, { deps: { vpcId: vpc } });
        const fn = rec("aws:lambda/function:Function", "fn", { vpcConfig: { subnetIds: ["<unknown>"] } }, { deps: { vpcConfig: subnet } });
        assertClean(await check([vpc, subnet, fn]), RULE);
    });
});

describe(`${RULE}: non-compliant stacks`, () => {
    it("today's account-scoped policy (aws:PrincipalAccount = own account) denies every layer", async () => {
        const { all } = goodStack();
        const vs = await check(setS3Policy(all, "orders", doc(OWN)));
        assertTrips(vs, RULE, '"orders-s3"', "denies ECR's layer download", "aws:PrincipalAccount", LAYERS, "Fix:", '"Principal": "*"');
    });

    it("the layer statement scoped to the own resource account", async () => {
        const { all } = goodStack();
        const scoped = { ...LAYER_STATEMENT, Condition: { StringEquals: { "aws:ResourceAccount": ACCOUNT } } };
        assertTrips(await check(setS3Policy(all, "orders", doc(OWN, scoped))), RULE, "aws:ResourceAccount");
    });

    it("the layer statement scoped to the organization", async () => {
        const { all } = goodStack();
        const scoped = { ...LAYER_STATEMENT, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } };
        assertTrips(await check(setS3Policy(all, "orders", doc(OWN, scoped))), RULE, "aws:PrincipalOrgID");
    });

    it("a Deny for principals outside the account overrides the layer statement", async () => {
        const { all } = goodStack();
        const deny = { Sid: "OnlyOurs", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": ACCOUNT } } };
        assertTrips(await check(setS3Policy(all, "orders", doc(OWN, LAYER_STATEMENT, deny))), RULE, "Deny statement OnlyOurs");
    });

    it("the layer bucket of another region", async () => {
        const { all } = goodStack();
        const other = { ...LAYER_STATEMENT, Resource: "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*" };
        assertTrips(await check(setS3Policy(all, "orders", doc(OWN, other))), RULE, "denies ECR's layer download", "prod-us-east-1-starport-layer-bucket");
        assertTrips(await check(setS3Policy(all, "orders", doc(other))), RULE, "no Allow statement covers");
    });

    it("a condition the rule cannot decide (aws:SourceVpce) is reported, not guessed", async () => {
        const { all } = goodStack();
        const onlyVpce = { ...LAYER_STATEMENT, Condition: { StringEquals: { "aws:SourceVpce": "vpce-1" } } };
        assertTrips(await check(setS3Policy(all, "orders", doc(OWN, onlyVpce))), RULE, "cannot be shown to admit", "aws:SourceVpce");
    });

    it("no S3 endpoint and no NAT in a VPC that runs ECS", async () => {
        const orders = fargateService("orders");
        assertTrips(await check(orders.all.filter((r) => r.name !== "orders-s3")), RULE, "orders-vpc", "no S3 gateway endpoint and no NAT", "orders-service");
    });

    it("an S3 interface endpoint instead of the gateway endpoint", async () => {
        const orders = fargateService("orders");
        const rs = orders.all.map((r) => (r.name === "orders-s3" ? { ...r, inputs: { ...r.inputs, vpcEndpointType: "Interface" } } : r));
        assertTrips(await check(rs), RULE, "only an S3 interface endpoint, orders-s3");
    });

    it("an ecr.dkr endpoint marks a VPC as pulling images even without a workload resource", async () => {
        const orders = fargateService("orders");
        const rs = orders.all.filter((r) => r.name !== "orders-s3" && r.type !== "aws:ecs/service:Service");
        assertTrips(await check(rs), RULE, "an ecr.dkr endpoint");
    });

    it("an S3 gateway endpoint on no route table", async () => {
        const { all } = goodStack();
        const rs = all.map((r) => (r.name === "orders-s3" ? { ...r, inputs: { ...r.inputs, routeTableIds: [] }, propertyDependencies: { vpcId: r.propertyDependencies?.vpcId ?? [] } } : r));
        assertTrips(await check(rs), RULE, '"orders-s3"', "on no route table");
    });

    it("a workload subnet on a route table the S3 endpoint is not attached to", async () => {
        const orders = fargateService("orders");
        const other = rec("aws:ec2/routeTable:RouteTable", "orders-other", { vpcId: "<unknown>" }, { deps: { vpcId: orders.vpc } });
        const assoc = rec("aws:ec2/routeTableAssociation:RouteTableAssociation", "orders-a", { subnetId: "<unknown>", routeTableId: "<unknown>" }, { deps: { subnetId: orders.subnets[0], routeTableId: other } });
        assertTrips(await check([...orders.all, other, assoc]), RULE, "orders-private-a", "orders-other");
    });

    it("decides in up what preview cannot see: an unknown policy is the engine's advisory in preview", async () => {
        const { all } = goodStack();
        const vs = await check(setS3Policy(all, "orders", "<unknown>"), "preview");
        const hits = byPolicy(vs, RULE);
        assert.ok(hits.length > 0 && hits.every((v) => v.unknown), JSON.stringify(hits));
    });
});

describe("ECR layer access: the policy evaluation itself", () => {
    const verdict = (...statements: unknown[]) => ecrLayerAccess(parsePolicyDocument(doc(...statements)), "aws", "us-east-1").verdict;

    it("follows IAM's order: explicit deny, then allow, then implicit deny", () => {
        assert.strictEqual(verdict(LAYER_STATEMENT), "allowed");
        assert.strictEqual(verdict(OWN), "denied");
        assert.strictEqual(verdict(LAYER_STATEMENT, { Effect: "Deny", Principal: "*", Action: "s3:Get*", Resource: "arn:aws:s3:::prod-*" }), "denied");
        assert.strictEqual(verdict({ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:*", Resource: "arn:aws:s3:::*" }), "allowed");
        assert.strictEqual(verdict({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "*", Resource: "*" }), "denied");
        assert.strictEqual(verdict({ ...LAYER_STATEMENT, Condition: { Bool: { "aws:PrincipalIsAWSService": "true" } } }), "denied");
        assert.strictEqual(verdict({ ...LAYER_STATEMENT, Condition: { StringNotEquals: { "aws:PrincipalAccount": ACCOUNT } } }), "allowed");
    });

    it("takes the partition and region from the endpoint (no hard-coded us-east-1)", () => {
        const cn = { ...LAYER_STATEMENT, Resource: "arn:aws-cn:s3:::prod-cn-north-1-starport-layer-bucket/*" };
        assert.strictEqual(ecrLayerAccess(parsePolicyDocument(doc(cn)), "aws-cn", "cn-north-1").verdict, "allowed");
        assert.strictEqual(ecrLayerAccess(parsePolicyDocument(doc(LAYER_STATEMENT)), "aws", "eu-west-1").verdict, "denied");
    });
});

describe("endpoint-policy support data", () => {
    it("gives every entry a support value and a source, once per service", () => {
        const seen = new Set<string>();
        for (const e of ENDPOINT_POLICY_SUPPORT) {
            assert.ok(!seen.has(e.service), `duplicate ${e.service}`);
            seen.add(e.service);
            assert.ok(["supported", "full-access-only", "unverified"].includes(e.support), e.service);
            assert.ok(e.source.length > 20, `${e.service} has no source`);
        }
        for (const s of ["ecs-agent", "ecs-telemetry"]) {
            assert.strictEqual(ENDPOINT_POLICY_SUPPORT.find((e) => e.service === s)?.support, "full-access-only", s);
        }
    });

    it("parses AWS service names and leaves endpoint services alone", () => {
        assert.deepStrictEqual(parseAwsServiceName("com.amazonaws.us-gov-west-1.ecr.dkr"), { region: "us-gov-west-1", service: "ecr.dkr" });
        assert.deepStrictEqual(parseAwsServiceName("com.amazonaws.ap-southeast-5.eks-auth"), { region: "ap-southeast-5", service: "eks-auth" });
        assert.strictEqual(parseAwsServiceName("com.amazonaws.vpce.us-east-1.vpce-svc-0123"), undefined);
    });
});
