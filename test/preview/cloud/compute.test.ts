import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";
import { create } from "./helpers";

/** ECS, EKS (aws.eks), Lambda and Auto Scaling: ids and ARNs as their APIs document them. */
describe("fake cloud: compute (tools/preview/cloud/{ecs,eks,lambda,autoscaling}.ts)", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });
    const region = `eu-central-1:${ACCOUNT_ID}`;

    it("ECS: cluster, task definition at revision 1, service under its cluster", () => {
        const cluster = create(cloud, "aws:ecs/cluster:Cluster", "c", { name: "orders" });
        assert.equal(cluster.id, `arn:aws:ecs:${region}:cluster/orders`);
        assert.equal(create(cloud, "aws:ecs/taskDefinition:TaskDefinition", "t", { family: "orders" }).computed.arn, `arn:aws:ecs:${region}:task-definition/orders:1`);
        assert.equal(create(cloud, "aws:ecs/service:Service", "s", { name: "orders", cluster: cluster.id }).id, `arn:aws:ecs:${region}:service/orders/orders`);
    });

    it("EKS: cluster endpoint, node group id and its managed Auto Scaling group", () => {
        assert.match(String(create(cloud, "aws:eks/cluster:Cluster", "k", { name: "search" }).computed.endpoint), /^https:\/\/[0-9A-F]{32}\.gr7\.eu-central-1\.eks\.amazonaws\.com$/);
        const ng = create(cloud, "aws:eks/nodeGroup:NodeGroup", "ng", { clusterName: "search", nodeGroupName: "nodes" });
        assert.equal(ng.id, "search:nodes");
        const groups = (ng.computed.resources as { autoscalingGroups: { name: string }[] }[])[0].autoscalingGroups;
        assert.match(groups[0].name, /^eks-nodes-[0-9a-f]{8}$/);
        assert.equal(create(cloud, "aws:eks/addon:Addon", "a", { clusterName: "search", addonName: "coredns" }).id, "search:coredns");
    });

    it("Lambda: function ARNs and a generated statement id", () => {
        const fn = create(cloud, "aws:lambda/function:Function", "f", { name: "notifier" });
        assert.equal(fn.computed.arn, `arn:aws:lambda:${region}:function:notifier`);
        assert.equal(fn.computed.invokeArn, `arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:function:notifier/invocations`);
        assert.match(String(create(cloud, "aws:lambda/permission:Permission", "p").id), /^terraform-[0-9a-f]{26}$/);
    });

    it("Auto Scaling: group ARN with its name, desired capacity at the minimum", () => {
        const asg = create(cloud, "aws:autoscaling/group:Group", "g", { name: "hosts", minSize: 2 });
        assert.match(String(asg.computed.arn), new RegExp(String.raw`^arn:aws:autoscaling:${region}:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/hosts$`));
        assert.equal(asg.computed.desiredCapacity, 2);
    });
});
