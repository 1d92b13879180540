import { strict as assert } from "assert";
import { ACCOUNT_ID, availabilityZones, FakeCloud } from "../../tools/preview/cloud";

const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;

function create(cloud: FakeCloud, type: string, name: string, inputs: Record<string, unknown> = {}, remote = false) {
    return cloud.resource({ type, name, urn: urn(type, name), inputs, custom: !remote, remote });
}

describe("preview: the fake cloud", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });

    it("derives ids from the URN: same URN same id, other URN other id", () => {
        const a = create(cloud, "aws:ec2/vpc:Vpc", "a");
        assert.deepEqual(create(new FakeCloud({ region: "eu-central-1" }), "aws:ec2/vpc:Vpc", "a"), a);
        assert.notEqual(create(cloud, "aws:ec2/vpc:Vpc", "b").id, a.id);
    });

    it("gives each EC2 type its id prefix", () => {
        const cases: Array<[string, RegExp]> = [
            ["aws:ec2/vpc:Vpc", /^vpc-0[0-9a-f]{16}$/],
            ["aws:ec2/subnet:Subnet", /^subnet-0[0-9a-f]{16}$/],
            ["aws:ec2/securityGroup:SecurityGroup", /^sg-0[0-9a-f]{16}$/],
            ["aws:ec2/routeTable:RouteTable", /^rtb-0[0-9a-f]{16}$/],
            ["aws:ec2/vpcEndpoint:VpcEndpoint", /^vpce-0[0-9a-f]{16}$/],
            ["aws:ec2/flowLog:FlowLog", /^fl-0[0-9a-f]{16}$/],
            ["aws:ec2/vpcEndpointService:VpcEndpointService", /^vpce-svc-0[0-9a-f]{16}$/],
        ];
        for (const [type, re] of cases) assert.match(String(create(cloud, type, "x").id), re, type);
    });

    it("gives a VPC's default security group the id the VPC reported", () => {
        const vpc = create(cloud, "aws:ec2/vpc:Vpc", "v");
        const sg = create(cloud, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "d", { vpcId: vpc.id });
        assert.equal(sg.id, vpc.computed.defaultSecurityGroupId);
    });

    it("auto-names like Pulumi when no name is given, and keeps a given one", () => {
        assert.match(String(create(cloud, "aws:iam/role:Role", "svc-role").checked.name), /^svc-role-[0-9a-f]{7}$/);
        assert.equal(create(cloud, "aws:iam/role:Role", "r", { name: "fixed" }).checked.name, "fixed");
        const lb = create(cloud, "aws:lb/loadBalancer:LoadBalancer", "a-very-long-load-balancer-name-indeed", { loadBalancerType: "network" });
        assert.ok(String(lb.checked.name).length <= 32);
    });

    it("answers endpoint services, gateway endpoints, ECR, KMS and ECS in the region", () => {
        const svc = create(cloud, "aws:ec2/vpcEndpointService:VpcEndpointService", "s");
        assert.equal(svc.computed.serviceName, `com.amazonaws.vpce.eu-central-1.${svc.id}`);
        assert.equal(svc.computed.arn, `arn:aws:ec2:eu-central-1:${ACCOUNT_ID}:vpc-endpoint-service/${svc.id}`);
        assert.match(String(create(cloud, "aws:ec2/vpcEndpoint:VpcEndpoint", "g", { vpcEndpointType: "Gateway" }).computed.prefixListId), /^pl-[0-9a-f]{8}$/);
        assert.equal(create(cloud, "aws:ecr/repository:Repository", "r", { name: "orders" }).computed.repositoryUrl, `${ACCOUNT_ID}.dkr.ecr.eu-central-1.amazonaws.com/orders`);
        const key = create(cloud, "aws:kms/key:Key", "k");
        assert.equal(key.computed.arn, `arn:aws:kms:eu-central-1:${ACCOUNT_ID}:key/${key.id}`);
        assert.equal(create(cloud, "aws:ecs/taskDefinition:TaskDefinition", "t", { family: "orders" }).computed.arn, `arn:aws:ecs:eu-central-1:${ACCOUNT_ID}:task-definition/orders:1`);
        const listener = create(cloud, "aws:lb/listener:Listener", "l", { loadBalancerArn: `arn:aws:elasticloadbalancing:eu-central-1:${ACCOUNT_ID}:loadbalancer/net/nlb/0123456789abcdef` });
        assert.match(String(listener.id), new RegExp(String.raw`^arn:aws:elasticloadbalancing:eu-central-1:${ACCOUNT_ID}:listener\/net\/nlb\/0123456789abcdef\/[0-9a-f]{16}$`));
    });

    it("gives unknown types a plausible id and ARN", () => {
        const r = create(cloud, "aws:s3/bucketV2:BucketV2", "b");
        assert.match(String(r.id), /^bucket-v2-0[0-9a-f]{16}$/);
        assert.match(String(r.computed.arn), new RegExp(String.raw`^arn:aws:s3:eu-central-1:${ACCOUNT_ID}:`));
    });

    it("answers remote components with their documented outputs", () => {
        const image = create(cloud, "awsx:ecr:Image", "img", { repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.eu-central-1.amazonaws.com/orders` }, true);
        assert.match(String(image.computed.imageUri), new RegExp(String.raw`^${ACCOUNT_ID}\.dkr\.ecr\.eu-central-1\.amazonaws\.com\/orders@sha256:[0-9a-f]{64}$`));
        const eks = create(cloud, "eks:index:Cluster", "c", { vpcId: "vpc-1", privateSubnetIds: ["subnet-1"] }, true).computed;
        for (const key of ["kubeconfig", "kubeconfigJson", "eksCluster", "clusterSecurityGroupId", "nodeSecurityGroupId", "oidcProviderArn", "oidcProviderUrl", "instanceRoles", "core"]) {
            assert.ok(key in eks, key);
        }
        const cluster = eks.eksCluster as { vpcConfig: { vpcId: string; subnetIds: string[] }; arn: string };
        assert.equal(cluster.vpcConfig.vpcId, "vpc-1");
        assert.deepEqual(cluster.vpcConfig.subnetIds, ["subnet-1"]);
        assert.match(cluster.arn, new RegExp(String.raw`^arn:aws:eks:eu-central-1:${ACCOUNT_ID}:cluster\/`));
    });

    it("answers the data sources the program uses", () => {
        assert.deepEqual(cloud.call({ token: "aws:index/getRegion:getRegion", inputs: {} }).region, "eu-central-1");
        assert.deepEqual(cloud.call({ token: "aws:index/getRegion:getRegion", inputs: {} }).name, "eu-central-1");
        assert.equal(cloud.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} }).accountId, ACCOUNT_ID);
        assert.equal(cloud.call({ token: "aws:index/getPartition:getPartition", inputs: {} }).partition, "aws");
        const azs = cloud.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} });
        assert.deepEqual(azs.names, availabilityZones("eu-central-1").names);
        assert.equal((azs.zoneIds as string[]).length, 6);
        assert.deepEqual([...(azs.zoneIds as string[])].sort(), availabilityZones("eu-central-1").zoneIds);
        const ami = cloud.call({ token: "aws:ssm/getParameter:getParameter", inputs: { name: "/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended" } });
        assert.match(JSON.parse(String(ami.value)).image_id, /^ami-0[0-9a-f]{16}$/);
        const doc = cloud.call({
            token: "aws:iam/getPolicyDocument:getPolicyDocument",
            inputs: { statements: [{ actions: ["sns:Publish"], principals: [{ type: "Service", identifiers: ["vpce.amazonaws.com"] }], resources: ["*"] }] },
        });
        assert.deepEqual(JSON.parse(String(doc.json)).Statement, [{ Effect: "Allow", Action: "sns:Publish", Resource: "*", Principal: { Service: "vpce.amazonaws.com" } }]);
    });

    it("fails an unknown data source with an error that names it", () => {
        assert.throws(() => cloud.call({ token: "aws:rds/getInstance:getInstance", inputs: {} }), /aws:rds\/getInstance:getInstance/);
    });

    describe("accounts and availability zones", () => {
        const OTHER = "902117463385";
        const zonesOf = (c: FakeCloud, inputs: Record<string, unknown> = {}) =>
            c.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs }) as { names: string[]; zoneIds: string[] };

        it("answers as the account it is given, and refuses one that is not 12 digits", () => {
            const other = new FakeCloud({ region: "us-east-1", accountId: OTHER });
            assert.equal(other.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} }).accountId, OTHER);
            assert.equal(create(other, "aws:iam/role:Role", "r", { name: "x" }).computed.arn, `arn:aws:iam::${OTHER}:role/x`);
            assert.notEqual(ACCOUNT_ID, "123456789012");
            assert.throws(() => new FakeCloud({ accountId: "1234" }), /12 digits/);
        });

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

        it("honours state, excludeNames, excludeZoneIds and filters in the zone lookup", () => {
            const all = zonesOf(cloud);
            const ex = zonesOf(cloud, { excludeZoneIds: ["euc1-az3"], excludeNames: ["eu-central-1a"] });
            assert.ok(!ex.zoneIds.includes("euc1-az3") && !ex.names.includes("eu-central-1a"));
            assert.ok(ex.zoneIds.length >= 4 && ex.zoneIds.length <= 5);
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
            const mapped = create(c, "aws:lb/loadBalancer:LoadBalancer", "m", { loadBalancerType: "network", subnetMappings: [{ subnetId: s1.id }] });
            const svc2 = create(c, "aws:ec2/vpcEndpointService:VpcEndpointService", "svc2", { networkLoadBalancerArns: [mapped.computed.arn] });
            assert.deepEqual(svc2.computed.availabilityZones, [s1.computed.availabilityZone]);
            // Not derivable (a load balancer this cloud did not create): no zone is claimed.
            assert.deepEqual(create(c, "aws:ec2/vpcEndpointService:VpcEndpointService", "svc3", { networkLoadBalancerArns: ["arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/x/1"] }).computed.availabilityZones, []);
        });
    });
});
