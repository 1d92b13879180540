import * as assert from "assert";
import { ecrLayerAccess } from "../../policies/lib/ecr-layer-access";
import { parsePolicyDocument } from "../../policies/lib/policydoc";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { ResourceRecord } from "../../tools/preview";
import { catalogConfig, fargate, Graph, list, plan, stackConfig, statements } from "../helpers";

/**
 * AWS-service endpoint policies as the program writes them, on the shipped dev
 * stack (every runtime) and in another region:
 * - the S3 gateway endpoint lets ECR's presigned layer downloads through
 *   (`s3:GetObject` on `prod-<region>-starport-layer-bucket/*`, any principal,
 *   no account condition) and admits the account's principals to the buckets
 *   the service declares (owns or uses), nothing else;
 * - endpoints to services that accept only the full-access policy carry none.
 */

type Rec = ResourceRecord;
const awsEndpoints = (g: Graph) =>
    g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").filter(e => (e.inputs.tags as Record<string, string>)["privatelink:endpoint-kind"] === "aws-service");
const serviceOf = (e: Rec) => /^com\.amazonaws\.[^.]+\.(.+)$/.exec(String(e.inputs.serviceName))![1];
const regionOf = (e: Rec) => /^com\.amazonaws\.([^.]+)\./.exec(String(e.inputs.serviceName))![1];

function assertAdmitsLayers(e: Rec, partition: string): void {
    const region = regionOf(e);
    const bucket = `arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`;
    const layer = statements(e.inputs.policy).find(s => s.Effect === "Allow" && list(s.Resource).includes(bucket));
    assert.ok(layer, `${e.name} has no statement for ${bucket}: ${String(e.inputs.policy)}`);
    assert.deepStrictEqual(list(layer.Action), ["s3:GetObject"]);
    assert.strictEqual(layer.Principal, "*");
    assert.strictEqual(layer.Condition, undefined, `${e.name}: the layer statement must not be scoped to the account`);
    assert.strictEqual(ecrLayerAccess(parsePolicyDocument(e.inputs.policy), partition, region).verdict, "allowed", e.name);
}

describe("AWS-service endpoint policies, offline", function () {
    this.timeout(120_000);

    describe("the dev stack (Fargate, ECS on EC2, EKS, Lambda)", () => {
        let g: Graph;
        before(async () => {
            g = new Graph(await plan(stackConfig("dev")));
        });

        it("every S3 gateway endpoint admits ECR's layer bucket for a principal outside the account", () => {
            const s3 = awsEndpoints(g).filter(e => serviceOf(e) === "s3");
            assert.ok(s3.length >= 5, `${s3.length} S3 endpoints`);
            for (const e of s3) {
                assert.strictEqual(e.inputs.vpcEndpointType, "Gateway");
                assertAdmitsLayers(e, "aws");
            }
        });

        it("everything else through the S3 endpoint is the declared buckets, for the account's own principals", () => {
            // stacks/Pulumi.dev.yaml: catalog owns the bucket images, web reads it; no other service declares a bucket.
            const images = `arn:aws:s3:::test-catalog-images-${ACCOUNT_ID}`; // planned as the stack "test": names derive from it
            const expected: Record<string, string[]> = { catalog: [images, `${images}/*`], web: [images, `${images}/*`] };
            const s3 = awsEndpoints(g).filter(x => serviceOf(x) === "s3");
            for (const e of s3) {
                const service = Graph.serviceOf(e)!;
                const rest = statements(e.inputs.policy).filter(s => list(s.Action).includes("*"));
                if (!expected[service]) {
                    assert.deepStrictEqual(rest, [], `${e.name}: ${service} declares no bucket, so its S3 endpoint carries image layers only`);
                    continue;
                }
                assert.strictEqual(rest.length, 1, e.name);
                assert.deepStrictEqual(rest[0].Condition, { StringEquals: { "aws:PrincipalAccount": ACCOUNT_ID } });
                assert.deepStrictEqual(list(rest[0].Resource), expected[service], e.name);
            }
            assert.deepStrictEqual(Object.keys(expected).filter(k => !s3.some(e => Graph.serviceOf(e) === k)), [], "each declaring service has an S3 endpoint");
        });

        it("ecs-agent and ecs-telemetry endpoints carry no policy (AWS accepts only full access there)", () => {
            const agent = awsEndpoints(g).filter(e => ["ecs-agent", "ecs-telemetry"].includes(serviceOf(e)));
            assert.deepStrictEqual(agent.map(serviceOf).sort(), ["ecs-agent", "ecs-telemetry"]);
            for (const e of agent) {
                assert.strictEqual(e.inputs.policy, undefined, `${e.name} has policy ${String(e.inputs.policy)}`);
            }
        });

        it("eks-auth, whose endpoint-policy support is unverified, gets none; services that support one keep theirs", () => {
            const byService = new Map<string, Rec[]>();
            for (const e of awsEndpoints(g)) {
                byService.set(serviceOf(e), [...(byService.get(serviceOf(e)) ?? []), e]);
            }
            for (const e of byService.get("eks-auth") ?? []) {
                assert.strictEqual(e.inputs.policy, undefined, e.name);
            }
            assert.ok((byService.get("eks-auth") ?? []).length > 0, "dev has an EKS service");
            for (const svc of ["ecr.api", "ecr.dkr", "logs", "ecs", "ec2", "sts", "elasticloadbalancing"]) {
                for (const e of byService.get(svc) ?? []) {
                    assert.ok(e.inputs.policy, `${e.name} lost its policy`);
                }
            }
        });
    });

    it("the sts endpoint admits federated role assumption (IRSA's AssumeRoleWithWebIdentity) into this account's roles", async () => {
        // Federated callers sign nothing, so their requests carry no aws:PrincipalAccount
        // (IAM User Guide, "Control access to AWS STS with VPC endpoint policies"): a
        // policy that admits only this account's principals denies every web-identity
        // assumption through the endpoint.
        const g = new Graph(await plan(stackConfig("dev")));
        const sts = awsEndpoints(g).filter(e => serviceOf(e) === "sts");
        assert.ok(sts.length > 0, "dev has an EKS service, whose VPC has an sts endpoint");
        for (const e of sts) {
            const federated = statements(e.inputs.policy).find(s => s.Effect === "Allow" && list(s.Action).includes("sts:AssumeRoleWithWebIdentity"));
            assert.ok(federated, `${e.name} has no statement for sts:AssumeRoleWithWebIdentity: ${String(e.inputs.policy)}`);
            assert.strictEqual(federated.Principal, "*");
            const keys = Object.values((federated.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(c => Object.keys(c));
            assert.deepStrictEqual(keys, ["aws:ResourceAccount"], "scoped to roles of this account, with no principal key (absent for federated callers)");
            assert.deepStrictEqual((federated.Condition as Record<string, Record<string, unknown>>).StringEquals["aws:ResourceAccount"], ACCOUNT_ID);
        }
    });

    it("names the layer bucket of the stack's own region and partition", async () => {
        const g = new Graph(await plan({ ...catalogConfig([fargate("orders")]), "aws:region": "eu-west-1" }));
        const [s3] = awsEndpoints(g).filter(e => serviceOf(e) === "s3");
        assert.strictEqual(regionOf(s3), "eu-west-1");
        assertAdmitsLayers(s3, "aws");
        assert.ok(!String(s3.inputs.policy).includes("us-east-1"), String(s3.inputs.policy));
    });
});
