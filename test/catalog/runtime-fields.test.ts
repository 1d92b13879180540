import * as assert from "assert";
import { findProblems, RawCatalog } from "../../components/catalog";
import { instanceTypeSatisfies, parsePlacement } from "../../components/runtimes/ecs-ec2/placement";

function expectProblem(raw: RawCatalog, path: string, message: RegExp): void {
    const found = findProblems(raw, { projectDir: __dirname }).problems.filter(p => p.path === path);
    const all = findProblems(raw, { projectDir: __dirname }).problems.map(p => `${p.path}: ${p.message}`);
    assert.strictEqual(found.length, 1, `expected one problem at ${path}, got: ${JSON.stringify(all, null, 1)}`);
    assert.match(found[0].message, message);
}

const gpu = (extra: Record<string, unknown> = {}) => ({
    name: "infer", runtime: "ecs-ec2", port: 8080, image: "1.0.0", instanceTypes: ["g5.xlarge", "g5.2xlarge"], gpus: 1,
    placement: { constraints: ["attribute:ecs.instance-type =~ g5.*"], strategy: ["spread:az", "binpack:memory"] },
    ...extra,
});

describe("catalog fields per runtime", () => {
    it("refuses a field that belongs to another runtime, naming the runtimes that take it", () => {
        expectProblem({ services: [{ name: "a", runtime: "fargate", port: 80, image: "1", gpus: 1 }] }, "services[0].gpus", /only for runtime ecs-ec2 \(this service is fargate\)/);
        expectProblem({ services: [{ name: "a", runtime: "fargate", port: 80, image: "1", instanceTypes: ["m7i.large"] }] }, "services[0].instanceTypes", /only for runtime ecs-ec2 or eks/);
        expectProblem({ services: [{ name: "a", runtime: "lambda", port: 80, cpu: 256, function: { code: "." } }] }, "services[0].cpu", /only for runtime fargate or ecs-ec2 or eks/);
    });

    it("requires an image for container runtimes and instance types for hosts", () => {
        expectProblem({ services: [{ name: "a", runtime: "fargate", port: 80 }] }, "services[0].image", /is required for runtime fargate/);
        expectProblem({ services: [{ name: "a", runtime: "eks", port: 80, image: "1" }] }, "services[0].instanceTypes", /is required for runtime eks/);
    });

    it("refuses malformed instance types", () => {
        expectProblem({ services: [gpu({ instanceTypes: ["g5xlarge"] })] }, "services[0].instanceTypes[0]", /not an EC2 instance type/);
        expectProblem({ services: [gpu({ instanceTypes: [] })] }, "services[0].instanceTypes", /at least one instance type/);
    });

    it("refuses GPUs on instance types without GPUs", () => {
        expectProblem({ services: [gpu({ instanceTypes: ["g5.xlarge", "m7i.large"], placement: undefined })] }, "services[0].instanceTypes[1]", /m7i\.large has no GPU/);
    });

    it("refuses a placement constraint no instance type satisfies", () => {
        expectProblem(
            { services: [gpu({ placement: { constraints: ["attribute:ecs.instance-type =~ p4d.*"] } })] },
            "services[0].placement.constraints[0]",
            /none of the service's instance types \(g5\.xlarge, g5\.2xlarge\) satisfies/,
        );
    });

    it("refuses malformed placement expressions and strategies", () => {
        expectProblem({ services: [gpu({ placement: { constraints: ["ecs.instance-type = g5"] } })] }, "services[0].placement.constraints[0]", /not a placement clause/);
        expectProblem({ services: [gpu({ placement: { constraints: ["attribute:ecs.availability-zone in us-east-1a"] } })] }, "services[0].placement.constraints[0]", /needs a list/);
        expectProblem({ services: [gpu({ placement: { strategy: ["spread:rack"] } })] }, "services[0].placement.strategy[0]", /spread:az/);
    });

    it("refuses capacity with min above max", () => {
        expectProblem({ services: [gpu({ capacity: { min: 3, max: 1 } })] }, "services[0].capacity", /min \(3\) is greater than max \(1\)/);
    });

    it("accepts a well-formed GPU service", () => {
        assert.deepStrictEqual(findProblems({ services: [gpu()] }).problems.filter(p => !p.path.endsWith(".runtime")), []);
    });

    it("requires Lambda code from an existing directory, or an image, not both", () => {
        const fn = (f: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: "fn", runtime: "lambda", port: 80, function: f, ...extra });
        expectProblem({ services: [fn({ code: "no-such-dir" })] }, "services[0].function.code", /directory "no-such-dir" does not exist/);
        expectProblem({ services: [fn({ code: "." }, { image: "1.0" })] }, "services[0].function.code", /either code or an image/);
        expectProblem({ services: [fn({})] }, "services[0].function.code", /is required/);
        expectProblem({ services: [fn({ code: ".", runtime: "nodejs14.x" })] }, "services[0].function.runtime", /supported Lambda runtime/);
    });

    it("validates the platform's EKS settings", () => {
        const svc = { name: "a", runtime: "fargate", port: 80, image: "1" };
        expectProblem({ platform: { eks: { publicAccessCidrs: ["0.0.0.0/0"] } }, services: [svc] }, "platform.eks.publicAccessCidrs[0]", /whole internet/);
        expectProblem({ platform: { eks: { publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } }, services: [svc] }, "platform.eks.publicAccessCidrs", /whole internet/);
        expectProblem({ platform: { eks: { publicAccessCidrs: ["3.0.0.0/8", "52.0.0.0/8"] } }, services: [svc] }, "platform.eks.publicAccessCidrs", /33554432 addresses/);
        expectProblem({ platform: { eks: { version: "1.3" } }, services: [svc] }, "platform.eks.version", /not a Kubernetes version/);
        expectProblem({ platform: { eks: { adminRoleArns: ["admin"] } }, services: [svc] }, "platform.eks.adminRoleArns[0]", /not an IAM principal ARN/);
    });
});

describe("placement expressions", () => {
    it("parses clauses joined by and", () => {
        const p = parsePlacement("attribute:ecs.instance-type =~ g5.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]");
        assert.ok(p.ok);
        assert.deepStrictEqual(p.clauses, [
            { attribute: "ecs.instance-type", operator: "=~", values: ["g5.*"] },
            { attribute: "ecs.availability-zone", operator: "in", values: ["us-east-1a", "us-east-1b"] },
        ]);
        assert.ok(instanceTypeSatisfies("g5.xlarge", p.clauses));
        assert.ok(!instanceTypeSatisfies("g6.xlarge", p.clauses));
    });

    it("judges equality, lists and exists", () => {
        const eq = parsePlacement("attribute:ecs.instance-type == p4d.24xlarge");
        assert.ok(eq.ok && instanceTypeSatisfies("p4d.24xlarge", eq.clauses) && !instanceTypeSatisfies("p5.48xlarge", eq.clauses));
        const notIn = parsePlacement("attribute:ecs.instance-type not_in [t3.micro, t3.small]");
        assert.ok(notIn.ok && instanceTypeSatisfies("m7i.large", notIn.clauses) && !instanceTypeSatisfies("t3.micro", notIn.clauses));
        assert.ok(parsePlacement("attribute:gpu-pool exists").ok);
        assert.ok(!parsePlacement("attribute:gpu-pool exists yes").ok);
        assert.ok(!parsePlacement("attribute:ecs.instance-type =~ g5.(").ok);
    });
});
