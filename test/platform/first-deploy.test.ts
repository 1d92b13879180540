import * as assert from "assert";
import { findProblems } from "../../components/catalog";
import { unpushedImageMessage } from "../../components/serviceRegistry";
import { PreviewResult, runPreview, World } from "../../tools/preview";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { catalogConfig, fargate, Graph, plan, ROOT } from "../helpers";

/**
 * The first deployment of a service: `image: pending` creates the repository
 * and everything around the workload but runs nothing; setting the pushed
 * tag starts the workload without replacing or renaming anything.
 */

const ECS_SERVICE = "aws:ecs/service:Service";
const TARGET = "aws:appautoscaling/target:Target";
const ASG = "aws:autoscaling/group:Group";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const FUNCTION = "aws:lambda/function:Function";

function services(image: string): unknown[] {
    return [
        fargate("web", { consumes: ["orders", "search", "hook", "infer"], image: "1.0.0" }),
        fargate("orders", { image, scaling: { min: 2, max: 4, cpuTarget: 60 } }),
        { name: "infer", runtime: "ecs-ec2", port: 9000, image, instanceTypes: ["m7i.large"], capacity: { min: 2, max: 3 }, scaling: { min: 2, max: 3, cpuTarget: 60 } },
        { name: "search", runtime: "eks", port: 8081, image, instanceTypes: ["m7i.large"], scaling: { min: 2, max: 3, cpuTarget: 60 } },
        { name: "hook", runtime: "lambda", port: 8443, image },
    ];
}

const urns = (r: PreviewResult) => r.resources.map(x => x.urn);

describe("first deployment (image: pending)", function () {
    this.timeout(120_000);
    let pending: Graph;
    let released: Graph;

    before(async () => {
        pending = new Graph(await plan(catalogConfig(services("pending")), "up"));
        released = new Graph(await plan(catalogConfig(services("1.0.0")), "up"));
    });

    it("plans cleanly in both states", () => {
        for (const g of [pending, released]) {
            assert.deepStrictEqual(g.result.violations.filter(v => v.enforcementLevel === "mandatory"), []);
        }
    });

    it("creates every service's repository, network and PrivateLink service while its image is pending", () => {
        for (const name of ["orders", "infer", "search", "hook"]) {
            pending.one("aws:ecr/repository:Repository", `${name}-repo`);
            pending.one("aws:ec2/vpcEndpointService:VpcEndpointService", `${name}-endpoint-service`);
            pending.one("aws:lb/loadBalancer:LoadBalancer", `${name}-nlb`);
        }
    });

    describe("ECS (fargate, ecs-ec2)", () => {
        for (const name of ["orders", "infer"]) {
            it(`${name}: starts with no task and a scalable target at 0 with scaling suspended`, () => {
                const svc = pending.one(ECS_SERVICE, `${name}-service`);
                assert.strictEqual(svc.inputs.desiredCount, 0);
                assert.ok(svc.options.ignoreChanges.includes("desiredCount"), "Application Auto Scaling owns the count");
                const target = pending.one(TARGET, `${name}-scaling`);
                assert.strictEqual(target.inputs.minCapacity, 0);
                assert.deepStrictEqual(target.inputs.suspendedState, {
                    dynamicScalingInSuspended: true, dynamicScalingOutSuspended: true, scheduledScalingSuspended: true,
                });
            });

            it(`${name}: once released, the scalable target's minimum is the catalog's and nothing is suspended`, () => {
                const target = released.one(TARGET, `${name}-scaling`);
                assert.strictEqual(target.inputs.minCapacity, 2);
                assert.deepStrictEqual(target.inputs.suspendedState, {
                    dynamicScalingInSuspended: false, dynamicScalingOutSuspended: false, scheduledScalingSuspended: false,
                });
                // The raised minimum scales out only after the service runs the released task definition.
                const svc = released.one(ECS_SERVICE, `${name}-service`);
                assert.ok(released.deps(target, "resourceId").some(r => r.urn === svc.urn));
                const td = released.one("aws:ecs/taskDefinition:TaskDefinition", `${name}-task`);
                assert.match(String(td.inputs.containerDefinitions), new RegExp(`/test/${name}:1\\.0\\.0"`));
            });
        }

        it("ecs-ec2: no host runs while the image is pending; capacity.min hosts once released", () => {
            assert.strictEqual(pending.one(ASG, "infer-hosts").inputs.minSize, 0);
            assert.strictEqual(released.one(ASG, "infer-hosts").inputs.minSize, 2);
            assert.ok(released.one(ASG, "infer-hosts").options.ignoreChanges.includes("desiredCapacity"));
        });
    });

    describe("EKS", () => {
        it("declares no Deployment and no autoscaler while the image is pending (no rollout await, no replicas stuck at 0)", () => {
            assert.strictEqual(pending.ofType(DEPLOYMENT).length, 0);
            assert.strictEqual(pending.ofType(HPA).length, 0);
            pending.one("kubernetes:core/v1:Service", "search-service");
            pending.one("aws:eks/nodeGroup:NodeGroup", "search-nodes");
        });

        it("declares them with the catalog's minimum once released", () => {
            const dep = released.one(DEPLOYMENT, "search-deployment");
            assert.strictEqual((dep.inputs.spec as { replicas: number }).replicas, 2);
            assert.strictEqual((released.one(HPA, "search-hpa").inputs.spec as { minReplicas: number }).minReplicas, 2);
        });
    });

    describe("Lambda (image function)", () => {
        it("creates no function while its image is pending, but the whole NLB → ALB path", () => {
            assert.strictEqual(pending.ofType(FUNCTION).length, 0);
            assert.strictEqual(pending.ofType("aws:lambda/permission:Permission").length, 0);
            pending.one("aws:lb/loadBalancer:LoadBalancer", "hook-alb");
            pending.one("aws:lb/targetGroup:TargetGroup", "hook-fn");
            pending.one("aws:lb/targetGroupAttachment:TargetGroupAttachment", "hook-alb");
            assert.strictEqual(pending.ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment").filter(a => a.name === "hook-fn").length, 0);
        });

        it("creates the function, its invoke permission and its registration once released", () => {
            released.one(FUNCTION, "hook-fn");
            released.one("aws:lambda/permission:Permission", "hook-alb-invoke");
            released.one("aws:lb/targetGroupAttachment:TargetGroupAttachment", "hook-fn");
        });
    });

    it("releasing changes no URN: every resource of the pending plan keeps its URN; only the workloads are added", () => {
        const before = new Set(urns(pending.result));
        const after = new Set(urns(released.result));
        assert.deepStrictEqual([...before].filter(u => !after.has(u)), [], "nothing disappears or is renamed");
        const added = [...after].filter(u => !before.has(u)).map(u => u.split("::").pop()).sort();
        assert.deepStrictEqual(added, ["hook-alb-invoke", "hook-fn", "hook-fn", "search-deployment", "search-hpa"]);
    });

    describe("a tag that is not pushed yet", () => {
        it("is refused in preview, before any workload is declared with it, saying what to do", async () => {
            // The repository exists (an earlier up created it) and holds another tag.
            const world = World.fresh();
            world.createRepository({ account: ACCOUNT_ID, region: "us-east-1" }, "test/orders");
            world.pushImage({ account: ACCOUNT_ID, region: "us-east-1", repository: "test/orders", tag: "0.9" });
            await assert.rejects(
                runPreview({ projectDir: ROOT, stack: "test", stackConfig: catalogConfig([fargate("orders", { image: "1.0" })]), mode: "preview", world }),
                (err: Error) => /services "orders"\.image: tag "1\.0" is not in repository test\/orders .*push it first .*image: pending/.test(err.message),
            );
        });

        it("keeps the provider's answer as it came, without reading it", () => {
            assert.match(unpushedImageMessage("orders", "dev/orders", "1.0.0", new Error("AccessDeniedException: no ecr:DescribeImages")), /\(aws\.ecr\.getImage: AccessDeniedException: no ecr:DescribeImages\)/);
        });
    });

    describe("catalog", () => {
        it("names `image: pending` when a container service has no image", () => {
            const { problems } = findProblems({ services: [{ name: "orders", runtime: "fargate", port: 8080 }] });
            const p = problems.find(x => x.path === "services[0].image");
            assert.ok(p && p.message.includes('"pending"'), JSON.stringify(problems));
        });

        it("accepts `image: pending` for every runtime", () => {
            const { problems } = findProblems({ services: services("pending") });
            assert.deepStrictEqual(problems, []);
        });
    });
});
