import * as assert from "assert";
import { findProblems, RawCatalog } from "../../components/catalog";

const ADMIN = "arn:aws:iam::111111111111:role/platform-admin";

function eks(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name: "orders", runtime: "eks", port: 8081, image: "1.0.0", instanceTypes: ["m7i.large"], ...extra };
}

function problemsAt(raw: RawCatalog, path: string): string[] {
    return findProblems(raw).problems.filter(p => p.path === path).map(p => p.message);
}

describe("catalog: EKS services", () => {
    it("accepts an EKS service with one architecture and distinct admins and viewers", () => {
        const raw = { platform: { eks: { adminRoleArns: [ADMIN], viewRoleArns: ["arn:aws:iam::111111111111:role/auditor"] } }, services: [eks({ instanceTypes: ["m7g.large", "c7g.large"] })] };
        assert.deepStrictEqual(findProblems(raw).problems, []);
    });

    it("refuses instance types of two architectures in one node group, naming the odd one", () => {
        const messages = problemsAt({ services: [eks({ instanceTypes: ["m7i.large", "m7g.large"] })] }, "services[0].instanceTypes[1]");
        assert.strictEqual(messages.length, 1);
        assert.match(messages[0], /m7g\.large is arm64 but m7i\.large is x86_64; one managed node group runs one AMI type/);
    });

    it("refuses a built image whose platform the nodes cannot run", () => {
        const raw = { services: [eks({ image: { context: "./services/orders", platform: "linux/arm64" } })] };
        const messages = problemsAt(raw, "services[0].image.platform");
        assert.strictEqual(messages.length, 1);
        assert.match(messages[0], /linux\/arm64 does not run on m7i\.large/);
    });

    it("refuses a role that is both a cluster admin and a viewer", () => {
        const raw = { platform: { eks: { adminRoleArns: [ADMIN], viewRoleArns: [ADMIN] } }, services: [eks()] };
        const messages = problemsAt(raw, "platform.eks.viewRoleArns[0]");
        assert.strictEqual(messages.length, 1);
        assert.match(messages[0], /also in adminRoleArns/);
    });
});
