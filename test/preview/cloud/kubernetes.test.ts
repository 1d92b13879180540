import { strict as assert } from "assert";
import { FakeCloud } from "../../../tools/preview/cloud";
import { create } from "./helpers";

describe("fake cloud: Kubernetes objects (tools/preview/cloud/kubernetes.ts)", () => {
    it("ids as the provider gives them: <namespace>/<name>, or <name> for cluster-scoped kinds", () => {
        const cloud = new FakeCloud();
        assert.equal(create(cloud, "kubernetes:core/v1:Namespace", "ns", { metadata: { name: "search" } }).id, "search");
        assert.equal(create(cloud, "kubernetes:core/v1:Service", "svc", { metadata: { name: "search" } }).id, "default/search");
        assert.deepEqual(cloud.fallbacks(), []);
    });

    it("answers a Deployment as rolled out, and lists that as a fallback", () => {
        const cloud = new FakeCloud();
        const d = create(cloud, "kubernetes:apps/v1:Deployment", "d", { metadata: { name: "search", namespace: "search" }, spec: { replicas: 2 } });
        assert.equal((d.computed.status as { availableReplicas: number }).availableReplicas, 2);
        assert.deepEqual(cloud.fallbacks().map(f => [f.urn, f.type]), [["urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::d", "kubernetes:apps/v1:Deployment"]]);
    });
});
