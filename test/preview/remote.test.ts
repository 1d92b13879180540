import { strict as assert } from "assert";
import * as path from "path";
import { PreviewResult, runPreview } from "../../tools/preview";
import { FIXTURES, find } from "./helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

const REMOTE = path.join(FIXTURES, "remote-app");

describe("preview: providers, reads, remote components and invokes", () => {
    let up: PreviewResult;
    let preview: PreviewResult;

    before(async () => {
        up = await runPreview({ projectDir: REMOTE, stack: "test", mode: "up" });
        preview = await runPreview({ projectDir: REMOTE, stack: "test" });
    });

    it("records the explicit provider and answers in its region", () => {
        const provider = find(up, "pulumi:providers:aws", "east");
        const repo = find(up, "aws:ecr/repository:Repository", "repo");
        assert.equal(repo.options.provider, provider.urn);
        assert.match(String(up.outputs.repositoryUrl), new RegExp(String.raw`^${ACCOUNT_ID}\.dkr\.ecr\.us-east-1\.amazonaws\.com\/repo-[0-9a-f]{7}$`));
        assert.equal(find(up, "aws:ec2/vpc:Vpc", "existing").options.provider, null);
    });

    it("answers a remote component created through another account's provider in that account", () => {
        assert.match(String(up.outputs.elsewhereClusterArn), /^arn:aws:eks:us-east-1:418293756204:cluster\//);
        assert.match(String(up.outputs.clusterName), /^k8s/);
    });

    it("records a read with the id it was given, known even in a preview", () => {
        const read = find(preview, "aws:ec2/vpc:Vpc", "existing");
        assert.equal(read.op, "read");
        assert.equal(read.id, "vpc-0123456789abcdef0");
        assert.equal(preview.outputs.existingCidr, "10.0.0.0/16");
    });

    it("answers remote components as one resource with their documented outputs", () => {
        const image = find(up, "awsx:ecr:Image", "image");
        assert.equal(image.remote, true);
        assert.equal(image.custom, false);
        assert.equal(up.resources.filter(r => r.parent === image.urn).length, 0, "no children offline");
        assert.equal(up.outputs.imageUri, `${up.outputs.repositoryUrl}@sha256:${String(up.outputs.imageUri).split("@sha256:")[1]}`);
        assert.match(String(up.outputs.imageUri), /@sha256:[0-9a-f]{64}$/);
        assert.match(String(up.outputs.clusterName), /^k8s-eksCluster-[0-9a-f]{7}$/);
        assert.equal(up.outputs.clusterVpc, "vpc-0123456789abcdef0");
        assert.match(String(up.outputs.oidcProviderArn), new RegExp(String.raw`^arn:aws:iam::${ACCOUNT_ID}:oidc-provider\/oidc\.eks\.us-west-2\.amazonaws\.com\/id\/[0-9A-F]{32}$`));
        assert.deepEqual(find(up, "eks:index:Cluster", "k8s").inputs.privateSubnetIds, ["subnet-1", "subnet-2"]);
    });

    it("leaves remote component outputs unknown in a preview", () => {
        assert.equal(preview.outputs.imageUri, "<unknown>");
        assert.equal(preview.outputs.oidcProviderArn, "<unknown>");
    });

    it("fails a run that calls an unknown data source, naming it", async () => {
        await assert.rejects(
            runPreview({ projectDir: REMOTE, stack: "test", stackConfig: { "aws:region": "us-west-2", invoke: "db" } }),
            /aws:rds\/getInstance:getInstance/,
        );
    });
});
