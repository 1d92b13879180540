import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";
import { create } from "./helpers";

describe("fake cloud: remote components (tools/preview/cloud/components.ts)", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });

    it("awsx:ecr:Image answers a digest-pinned image URI in its repository", () => {
        const image = create(cloud, "awsx:ecr:Image", "img", { repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.eu-central-1.amazonaws.com/orders` }, true);
        assert.match(String(image.computed.imageUri), new RegExp(String.raw`^${ACCOUNT_ID}\.dkr\.ecr\.eu-central-1\.amazonaws\.com\/orders@sha256:[0-9a-f]{64}$`));
    });

    it("eks:index:Cluster answers the outputs pulumi-eks documents, with its VPC and subnets", () => {
        const eks = create(cloud, "eks:index:Cluster", "c", { vpcId: "vpc-1", privateSubnetIds: ["subnet-1"], authenticationMode: "API" }, true).computed;
        for (const key of ["kubeconfig", "kubeconfigJson", "eksCluster", "clusterSecurityGroupId", "nodeSecurityGroupId", "oidcProviderArn", "oidcProviderUrl", "instanceRoles", "core"]) {
            assert.ok(key in eks, key);
        }
        const cluster = eks.eksCluster as { vpcConfig: { vpcId: string; subnetIds: string[] }; arn: string; accessConfig: { bootstrapClusterCreatorAdminPermissions: boolean } };
        assert.equal(cluster.vpcConfig.vpcId, "vpc-1");
        assert.deepEqual(cluster.vpcConfig.subnetIds, ["subnet-1"]);
        assert.equal(cluster.accessConfig.bootstrapClusterCreatorAdminPermissions, true);
        assert.match(cluster.arn, new RegExp(String.raw`^arn:aws:eks:eu-central-1:${ACCOUNT_ID}:cluster\/`));
        const user = (eks.kubeconfig as { users: { user: { exec: { args: string[] } } }[] }).users[0].user.exec.args;
        assert.deepEqual(user.slice(0, 5), ["--region", "eu-central-1", "eks", "get-token", "--cluster-name"]);
        assert.ok(!user.includes("--role"), "no role unless providerCredentialOpts names one");
        const asRole = create(cloud, "eks:index:Cluster", "d", { providerCredentialOpts: { roleArn: "arn:aws:iam::418293756204:role/deployer" } }, true).computed;
        const roleArgs = (asRole.kubeconfig as { users: { user: { exec: { args: string[] } } }[] }).users[0].user.exec.args;
        assert.deepEqual(roleArgs.slice(roleArgs.indexOf("--role"), roleArgs.indexOf("--role") + 2), ["--role", "arn:aws:iam::418293756204:role/deployer"]);
    });
});
