import { strict as assert } from "assert";
import { ACCOUNT_ID, availabilityZones, FakeCloud } from "../../../tools/preview/cloud";
import { endpointServiceAnswer, subnetRefusal } from "../../../tools/preview/cloud/ec2";
import { call, create } from "./helpers";

describe("fake cloud: EC2 / VPC (tools/preview/cloud/ec2.ts)", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });

    it("gives each EC2 type its id prefix: <prefix>-0 and 16 hex digits", () => {
        const cases: Array<[string, RegExp]> = [
            ["aws:ec2/vpc:Vpc", /^vpc-0[0-9a-f]{16}$/],
            ["aws:ec2/subnet:Subnet", /^subnet-0[0-9a-f]{16}$/],
            ["aws:ec2/securityGroup:SecurityGroup", /^sg-0[0-9a-f]{16}$/],
            ["aws:ec2/routeTable:RouteTable", /^rtb-0[0-9a-f]{16}$/],
            ["aws:ec2/vpcEndpoint:VpcEndpoint", /^vpce-0[0-9a-f]{16}$/],
            ["aws:ec2/flowLog:FlowLog", /^fl-0[0-9a-f]{16}$/],
            ["aws:ec2/vpcEndpointService:VpcEndpointService", /^vpce-svc-0[0-9a-f]{16}$/],
            ["aws:ec2/launchTemplate:LaunchTemplate", /^lt-0[0-9a-f]{16}$/],
        ];
        for (const [type, re] of cases) assert.match(String(create(cloud, type, "x").id), re, type);
    });

    it("gives a VPC's default security group the id the VPC reported", () => {
        const vpc = create(cloud, "aws:ec2/vpc:Vpc", "v");
        const sg = create(cloud, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "d", { vpcId: vpc.id });
        assert.equal(sg.id, vpc.computed.defaultSecurityGroupId);
    });

    it("answers an endpoint service's name and ARN in the region", () => {
        const svc = create(cloud, "aws:ec2/vpcEndpointService:VpcEndpointService", "s");
        assert.equal(svc.computed.serviceName, `com.amazonaws.vpce.eu-central-1.${svc.id}`);
        assert.equal(svc.computed.arn, `arn:aws:ec2:eu-central-1:${ACCOUNT_ID}:vpc-endpoint-service/${svc.id}`);
    });

    describe("CreateSubnet: InvalidSubnet.Range and InvalidSubnet.Conflict, where the cloud holds the VPC", () => {
        it("judges a range outside the VPC and an overlap with a sibling, and nothing else", () => {
            assert.equal(subnetRefusal("10.0.0.0/16", "10.0.1.0/24", []), undefined);
            assert.equal(subnetRefusal("10.0.0.0/16", "10.1.0.0/24", [])?.code, "InvalidSubnet.Range");
            assert.equal(subnetRefusal("10.0.0.0/16", "10.0.1.128/25", [{ id: "subnet-1", cidrBlock: "10.0.1.0/24" }])?.code, "InvalidSubnet.Conflict");
            assert.equal(subnetRefusal("10.0.0.0/16", "10.0.2.0/24", [{ id: "subnet-1", cidrBlock: "10.0.1.0/24" }]), undefined);
            assert.equal(subnetRefusal(undefined, "10.9.0.0/24", []), undefined, "a VPC whose range is unknown: no judgement");
        });

        it("refuses the create in an up as the provider reports the API error; a preview creates nothing and refuses nothing", () => {
            const c = new FakeCloud({ region: "us-east-1", applies: true });
            const vpc = create(c, "aws:ec2/vpc:Vpc", "v", { cidrBlock: "10.0.0.0/16" });
            create(c, "aws:ec2/subnet:Subnet", "a", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24" });
            assert.throws(() => create(c, "aws:ec2/subnet:Subnet", "b", { vpcId: vpc.id, cidrBlock: "10.0.0.0/25" }),
                /^Error: creating EC2 Subnet: operation error EC2: CreateSubnet, .*api error InvalidSubnet\.Conflict: The CIDR '10\.0\.0\.0\/25' conflicts with another subnet$/);
            assert.throws(() => create(c, "aws:ec2/subnet:Subnet", "c", { vpcId: vpc.id, cidrBlock: "192.168.0.0/24" }), /api error InvalidSubnet\.Range: The CIDR '192\.168\.0\.0\/24' is invalid\./);
            // Another VPC may reuse the range (the platform's VPCs all do).
            const other = create(c, "aws:ec2/vpc:Vpc", "w", { cidrBlock: "10.0.0.0/16" });
            assert.ok(create(c, "aws:ec2/subnet:Subnet", "d", { vpcId: other.id, cidrBlock: "10.0.0.0/24" }).id);
            const preview = new FakeCloud({ region: "us-east-1" });
            const pv = create(preview, "aws:ec2/vpc:Vpc", "v", { cidrBlock: "10.0.0.0/16" });
            assert.ok(create(preview, "aws:ec2/subnet:Subnet", "c", { vpcId: pv.id, cidrBlock: "192.168.0.0/24" }).id);
        });

        it("keeps the refusal for after the policy pack when asked to (as pulumi up runs the pack first)", () => {
            const c = new FakeCloud({ region: "us-east-1", applies: true, deferRefusals: true });
            const vpc = create(c, "aws:ec2/vpc:Vpc", "v", { cidrBlock: "10.0.0.0/16" });
            assert.ok(create(c, "aws:ec2/subnet:Subnet", "c", { vpcId: vpc.id, cidrBlock: "192.168.0.0/24" }).id);
            assert.deepEqual(c.refusals().map(e => e.message.split("api error ")[1]), ["InvalidSubnet.Range: The CIDR '192.168.0.0/24' is invalid."]);
        });
    });

    describe("CreateVpcEndpoint: InvalidServiceName", () => {
        it("knows the endpoint services this run created and this Region's AWS services", () => {
            const created = new Map([["com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", "vpce-svc-0123456789abcdef0"]]);
            assert.deepEqual(endpointServiceAnswer("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", "us-east-1", created), {});
            assert.deepEqual(endpointServiceAnswer("com.amazonaws.us-east-1.ecr.dkr", "us-east-1", created), {});
            assert.deepEqual(endpointServiceAnswer("com.amazonaws.eu-west-1.ecr.dkr", "us-east-1", created), { refused: true }, "another Region's service");
            assert.deepEqual(endpointServiceAnswer("com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0", "us-east-1", created), { refused: true });
            assert.deepEqual(endpointServiceAnswer("ecr.dkr", "us-east-1", created), { refused: true }, "not a service name");
            assert.ok(endpointServiceAnswer("com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210", "us-east-1", created).assumed, "another stack's service is assumed");
            assert.ok(endpointServiceAnswer("com.amazonaws.us-east-1.textract", "us-east-1", created).assumed, "a service the cloud does not list is assumed");
        });

        it("refuses the create as the provider reports it, and lists an assumed service as a fallback", () => {
            const c = new FakeCloud({ region: "us-east-1", applies: true });
            assert.throws(() => create(c, "aws:ec2/vpcEndpoint:VpcEndpoint", "e", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.us-west-2.logs" }),
                /^Error: creating EC2 VPC Endpoint \(com\.amazonaws\.us-west-2\.logs\): operation error EC2: CreateVpcEndpoint, .*api error InvalidServiceName: The Vpc Endpoint Service 'com\.amazonaws\.us-west-2\.logs' does not exist$/);
            create(c, "aws:ec2/vpcEndpoint:VpcEndpoint", "f", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0aaaaaaaaaaaaaaaa" });
            assert.deepEqual(c.fallbacks().map(f => f.type), ["aws:ec2/vpcEndpoint:VpcEndpoint"]);
        });
    });

    describe("accounts and availability zones", () => {
        const OTHER = "902117463385";
        const zonesOf = (c: FakeCloud, inputs: Record<string, unknown> = {}) =>
            call(c, "aws:index/getAvailabilityZones:getAvailabilityZones", inputs) as { names: string[]; zoneIds: string[] };

        it("maps zone names to zone ids differently in each account, ids the same physical zones everywhere", () => {
            const a = zonesOf(new FakeCloud({ region: "us-east-1" }));
            const b = zonesOf(new FakeCloud({ region: "us-east-1", accountId: OTHER }));
            assert.deepEqual(a.names, b.names);
            assert.deepEqual([...a.zoneIds].sort(), [...b.zoneIds].sort());
            assert.notDeepEqual(a.zoneIds, b.zoneIds, "us-east-1a should be another physical zone in another account");
        });

        it("gives a subnet both its zone name and id, from either input, through the account's mapping", () => {
            const c = new FakeCloud({ region: "us-east-1", accountId: OTHER });
            const { names, zoneIds } = zonesOf(c);
            const byId = create(c, "aws:ec2/subnet:Subnet", "s1", { availabilityZoneId: "use1-az2" }).computed;
            assert.equal(byId.availabilityZoneId, "use1-az2");
            assert.equal(byId.availabilityZone, names[zoneIds.indexOf("use1-az2")]);
            const byName = create(c, "aws:ec2/subnet:Subnet", "s2", { availabilityZone: "us-east-1a" }).computed;
            assert.equal(byName.availabilityZoneId, zoneIds[0]);
        });

        it("honours state, excludeNames, excludeZoneIds and filters in the zone lookup, and refuses an unknown filter", () => {
            const all = zonesOf(cloud);
            assert.deepEqual(all.names, availabilityZones("eu-central-1").names);
            const ex = zonesOf(cloud, { excludeZoneIds: ["euc1-az3"], excludeNames: ["eu-central-1a"] });
            assert.ok(!ex.zoneIds.includes("euc1-az3") && !ex.names.includes("eu-central-1a"));
            ex.names.forEach((n, i) => assert.equal(ex.zoneIds[i], all.zoneIds[all.names.indexOf(n)], "names[i] and zoneIds[i] are one zone"));
            assert.deepEqual(zonesOf(cloud, { filters: [{ name: "zone-id", values: ["euc1-az2", "euc1-az1"] }] }).zoneIds.sort(), ["euc1-az1", "euc1-az2"]);
            assert.equal(zonesOf(cloud, { filters: [{ name: "opt-in-status", values: ["opted-in"] }] }).zoneIds.length, 0);
            assert.equal(zonesOf(cloud, { state: "unavailable" }).zoneIds.length, 0);
            assert.throws(() => zonesOf(cloud, { filters: [{ name: "no-such-filter", values: ["x"] }] }), /no-such-filter/);
        });

        it("offers an endpoint service only in the zones of its load balancer's subnets", () => {
            const c = new FakeCloud({ region: "us-east-1" });
            const s1 = create(c, "aws:ec2/subnet:Subnet", "p1", { availabilityZoneId: "use1-az4" });
            const s2 = create(c, "aws:ec2/subnet:Subnet", "p2", { availabilityZoneId: "use1-az6" });
            const nlb = create(c, "aws:lb/loadBalancer:LoadBalancer", "n", { loadBalancerType: "network", internal: true, subnets: [s1.id, s2.id] });
            const svc = create(c, "aws:ec2/vpcEndpointService:VpcEndpointService", "svc", { networkLoadBalancerArns: [nlb.computed.arn] });
            assert.deepEqual(svc.computed.availabilityZones, [s1.computed.availabilityZone, s2.computed.availabilityZone].sort());
            // Not derivable (a load balancer this cloud did not create): no zone is claimed.
            assert.deepEqual(create(c, "aws:ec2/vpcEndpointService:VpcEndpointService", "svc3", { networkLoadBalancerArns: ["arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/x/1"] }).computed.availabilityZones, []);
        });
    });

    describe("AWS-managed prefix lists", () => {
        it("answers one id per list: the S3 gateway endpoint's prefixListId is the list getManagedPrefixList returns", () => {
            const c = new FakeCloud({ region: "eu-central-1" });
            const gw = create(c, "aws:ec2/vpcEndpoint:VpcEndpoint", "s3-a", { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.eu-central-1.s3" });
            const list = call(c, "aws:ec2/getManagedPrefixList:getManagedPrefixList", { name: "com.amazonaws.eu-central-1.s3" });
            assert.equal(gw.computed.prefixListId, list.id);
            assert.match(String(list.id), /^pl-[0-9a-f]{8}$/);
            assert.notEqual(call(c, "aws:ec2/getManagedPrefixList:getManagedPrefixList", { name: "com.amazonaws.eu-central-1.dynamodb" }).id, list.id);
        });

        it("fails a list AWS does not manage, as the provider's finder does", () => {
            const c = new FakeCloud({ region: "eu-central-1" });
            assert.throws(() => call(c, "aws:ec2/getManagedPrefixList:getManagedPrefixList", { name: "com.amazonaws.eu-central-1.s4" }), /^Error: no matching EC2 Managed Prefix List found$/);
        });
    });
});
