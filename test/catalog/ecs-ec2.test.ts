import * as assert from "assert";
import { findProblems, RawCatalog } from "../../components/catalog";
import { gpusPerInstance, instanceArchitecture } from "../../components/runtimes/instances";

const ec2 = (extra: Record<string, unknown> = {}) => ({ name: "hosted", runtime: "ecs-ec2", port: 9000, image: "1.0.0", instanceTypes: ["m7i.large"], ...extra });

function problemsAt(raw: RawCatalog, path: string): string[] {
    return findProblems(raw).problems.filter(p => p.path === path).map(p => p.message);
}

function expectOne(raw: RawCatalog, path: string, message: RegExp): void {
    const found = problemsAt(raw, path);
    const all = findProblems(raw).problems.map(p => `${p.path}: ${p.message}`);
    assert.strictEqual(found.length, 1, `expected one problem at ${path}, got ${JSON.stringify(all, null, 1)}`);
    assert.match(found[0], message);
}

describe("ecs-ec2 catalog checks", () => {
    it("accepts a GPU service and a Graviton service", () => {
        const gpu = ec2({ instanceTypes: ["g5.xlarge", "g6.2xlarge"], gpus: 1, cpu: 2048, memory: 8192, placement: { constraints: ["attribute:ecs.instance-type =~ g[56].*"], strategy: ["spread:az"] } });
        assert.deepStrictEqual(findProblems({ services: [gpu, ec2({ name: "arm", instanceTypes: ["m7g.large", "c7g.xlarge"], image: { context: ".", platform: "linux/arm64" } })] }).problems, []);
    });

    it("refuses container CPU or memory outside what ECS on EC2 accepts", () => {
        expectOne({ services: [ec2({ cpu: 64 })] }, "services[0].cpu", /64 CPU units is outside .* 128-196608/);
        expectOne({ services: [ec2({ memory: 64 })] }, "services[0].memory", /64 MiB is outside .* 128-/);
        // Fargate's size table does not apply to container-level sizes on EC2.
        assert.deepStrictEqual(findProblems({ services: [ec2({ cpu: 300, memory: 700 })] }).problems, []);
    });

    it("refuses instance types of two architectures in one group", () => {
        expectOne({ services: [ec2({ instanceTypes: ["m7i.large", "m7g.large"] })] }, "services[0].instanceTypes[1]", /m7g\.large is arm64 but m7i\.large is x86_64/);
    });

    it("refuses an image built for the other architecture", () => {
        expectOne({ services: [ec2({ image: { context: ".", platform: "linux/arm64" } })] }, "services[0].image.platform", /linux\/arm64 does not run on m7i\.large \(x86_64\)/);
    });

    it("refuses more GPUs per task than an instance type has, and GPUs on Graviton", () => {
        expectOne({ services: [ec2({ gpus: 4, instanceTypes: ["g5.12xlarge", "g5.xlarge"] })] }, "services[0].instanceTypes[1]", /g5\.xlarge has 1 GPU, but each task asks for 4/);
        assert.deepStrictEqual(problemsAt({ services: [ec2({ gpus: 4, instanceTypes: ["g5.12xlarge", "g5.xlarge"] })] }, "services[0].instanceTypes[0]"), []);
        expectOne({ services: [ec2({ gpus: 1, instanceTypes: ["g5g.xlarge"] })] }, "services[0].instanceTypes[0]", /arm64, but ECS's GPU-optimized AMI is x86_64 only/);
    });

    it("knows the architecture and GPU count of common types", () => {
        assert.deepStrictEqual(["m7g.large", "c7gn.xlarge", "t4g.micro", "a1.large", "im4gn.large", "g5g.xlarge"].map(instanceArchitecture), Array(6).fill("arm64"));
        assert.deepStrictEqual(["m7i.large", "g5.xlarge", "p4d.24xlarge", "inf2.xlarge", "m7i-flex.large"].map(instanceArchitecture), Array(5).fill("x86_64"));
        assert.deepStrictEqual(["g5.xlarge", "g5.12xlarge", "g5.48xlarge", "p4d.24xlarge", "g4dn.metal", "m7i.large"].map(gpusPerInstance), [1, 4, 8, 8, 8, undefined]);
    });
});
