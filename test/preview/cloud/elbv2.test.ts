import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";
import { create } from "./helpers";

describe("fake cloud: Elastic Load Balancing v2 (tools/preview/cloud/elbv2.ts)", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });

    it("names load balancers within 32 characters and answers their ARN, DNS name and type", () => {
        const nlb = create(cloud, "aws:lb/loadBalancer:LoadBalancer", "a-very-long-load-balancer-name-indeed", { loadBalancerType: "network", internal: true });
        assert.ok(String(nlb.checked.name).length <= 32);
        assert.match(String(nlb.id), new RegExp(String.raw`^arn:aws:elasticloadbalancing:eu-central-1:${ACCOUNT_ID}:loadbalancer\/net\/[^/]+\/[0-9a-f]{16}$`));
        assert.match(String(nlb.computed.dnsName), /\.elb\.eu-central-1\.amazonaws\.com$/);
        assert.equal(nlb.computed.enableCrossZoneLoadBalancing, false);
        const alb = create(cloud, "aws:lb/loadBalancer:LoadBalancer", "alb", { internal: true });
        assert.match(String(alb.computed.dnsName), /^internal-alb-[0-9a-f]{7}-\d+\.eu-central-1\.elb\.amazonaws\.com$/);
    });

    it("puts a listener's ARN under its load balancer", () => {
        const listener = create(cloud, "aws:lb/listener:Listener", "l", { loadBalancerArn: `arn:aws:elasticloadbalancing:eu-central-1:${ACCOUNT_ID}:loadbalancer/net/nlb/0123456789abcdef` });
        assert.match(String(listener.id), new RegExp(String.raw`^arn:aws:elasticloadbalancing:eu-central-1:${ACCOUNT_ID}:listener\/net\/nlb\/0123456789abcdef\/[0-9a-f]{16}$`));
    });

    it("reports a load balancer's VPC as its subnets' VPC, and none it cannot derive", () => {
        const c = new FakeCloud({ region: "us-east-1" });
        const vpc = create(c, "aws:ec2/vpc:Vpc", "v", { cidrBlock: "10.0.0.0/16" });
        const subnet = create(c, "aws:ec2/subnet:Subnet", "s", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24" });
        assert.equal(create(c, "aws:lb/loadBalancer:LoadBalancer", "n", { loadBalancerType: "network", subnets: [subnet.id] }).computed.vpcId, vpc.id);
        assert.equal(create(c, "aws:lb/loadBalancer:LoadBalancer", "m", { loadBalancerType: "network", subnets: ["subnet-unknown"] }).computed.vpcId, undefined);
    });

    it("answers target groups with their type", () => {
        const tg = create(cloud, "aws:lb/targetGroup:TargetGroup", "tg", { targetType: "ip" });
        assert.match(String(tg.id), /:targetgroup\/tg-[0-9a-f]{7}\/[0-9a-f]{16}$/);
        assert.equal(tg.computed.targetType, "ip");
    });
});
