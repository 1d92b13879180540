/**
 * Red-team cases for default-deny: resource types the pack never heard of,
 * edges and principals the catalog never declared, config that would switch
 * the pack off, and secrets. Each is a realistic edit to the program, planned
 * offline and judged by the real pack in both modes.
 */
import * as assert from "assert";
import { renderText } from "../../tools/preview/render";
import { assertRefused, cleanUp, Edit, mandatoryOf, planEdited, RedTeamCase } from "./harness";
import { inDays } from "../../policies/test/helpers";

const TYPE = "resource-type-allowed";
const EDGE = "interface-endpoint-declared";
const PRINCIPALS = "endpoint-service-principals-match-catalog";

/** Code appended to index.ts, with the AWS SDK imported as an engineer would. */
const program = (code: string): Edit[] => [{ file: "index.ts", insert: `import * as aws from "@pulumi/aws";\n${code}` }];

const WEB_VPC = "services.apply(s => s.web.vpcId)";
const ORDERS_VPC = "services.apply(s => s.orders.vpcId)";

/** Subnet ids of a service VPC, pasted from the console as an engineer would (the fake cloud answers no subnet lookup). */
const subnetsOf = (vpc: string) => `${vpc}.apply(() => ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"])`;

const SECRET_ADMIN_DOC = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "BreakGlassForIncident4711", Effect: "Allow", Action: "*", Resource: "*" }],
});

const cases: RedTeamCase[] = [
    // ---- Resource types the pack never heard of: on the internet, across VPCs, shared with other accounts.
    {
        name: "type: App Runner service with a public endpoint",
        expect: TYPE,
        edits: program(`new aws.apprunner.Service("orders-public", {
    serviceName: "orders-public",
    sourceConfiguration: { imageRepository: { imageIdentifier: "public.ecr.aws/nginx/nginx:latest", imageRepositoryType: "ECR_PUBLIC", imageConfiguration: { port: "8080" } }, autoDeploymentsEnabled: false },
    networkConfiguration: { ingressConfiguration: { isPubliclyAccessible: true } },
});`),
    },
    {
        name: "type: VPC Lattice service network spanning two service VPCs",
        expect: TYPE,
        edits: program(`const mesh = new aws.vpclattice.ServiceNetwork("shared-mesh", { name: "shared-mesh", authType: "NONE" });
new aws.vpclattice.ServiceNetworkVpcAssociation("mesh-web", { serviceNetworkIdentifier: mesh.id, vpcIdentifier: ${WEB_VPC} });
new aws.vpclattice.ServiceNetworkVpcAssociation("mesh-orders", { serviceNetworkIdentifier: mesh.id, vpcIdentifier: ${ORDERS_VPC} });`),
    },
    {
        name: "type: second ENI of an instance in another service's subnet",
        expect: TYPE,
        edits: program(`const eni = new aws.ec2.NetworkInterface("orders-debug-eni", { subnetId: ${subnetsOf(ORDERS_VPC)}.apply(ids => ids[0]) });
new aws.ec2.NetworkInterfaceAttachment("orders-debug-attach", { instanceId: "i-0abc1234def567890", networkInterfaceId: eni.id, deviceIndex: 1 });`),
    },
    {
        name: "type: RAM share of a service subnet with another account",
        expect: TYPE,
        edits: program(`const share = new aws.ram.ResourceShare("orders-subnets", { name: "orders-subnets", allowExternalPrincipals: true });
new aws.ram.ResourceAssociation("orders-subnet-a", { resourceShareArn: share.arn, resourceArn: "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0abc1234" });
new aws.ram.PrincipalAssociation("partner", { resourceShareArn: share.arn, principal: "999988887777" });`),
    },
    {
        name: "type: Client VPN endpoint associated with a service subnet",
        expect: [TYPE, "no-internet-or-cross-vpc-gateways"],
        edits: program(`const vpn = new aws.ec2clientvpn.Endpoint("ops-vpn", {
    serverCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/abcd",
    clientCidrBlock: "172.31.0.0/22",
    authenticationOptions: [{ type: "certificate-authentication", rootCertificateChainArn: "arn:aws:acm:us-east-1:111122223333:certificate/abcd" }],
    connectionLogOptions: { enabled: false },
});
new aws.ec2clientvpn.NetworkAssociation("ops-vpn-orders", { clientVpnEndpointId: vpn.id, subnetId: ${subnetsOf(ORDERS_VPC)}.apply(ids => ids[0]) });`),
    },
    {
        name: "type: Global Accelerator in front of a service's NLB",
        expect: TYPE,
        edits: program(`const ga = new aws.globalaccelerator.Accelerator("orders-ga", { name: "orders-ga", ipAddressType: "IPV4", enabled: true });
const gaListener = new aws.globalaccelerator.Listener("orders-ga-443", { acceleratorArn: ga.arn, protocol: "TCP", portRanges: [{ fromPort: 443, toPort: 443 }] });
new aws.globalaccelerator.EndpointGroup("orders-ga-eg", { listenerArn: gaListener.arn, endpointConfigurations: [{ endpointId: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/abc", clientIpPreservationEnabled: true }] });`),
    },
    {
        name: "type: CloudFront VPC origin on a service's internal NLB",
        expect: TYPE,
        edits: program(`new aws.cloudfront.VpcOrigin("orders-origin", { vpcOriginEndpointConfig: { name: "orders", arn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/abc", httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: { items: ["TLSv1.2"], quantity: 1 } } });`),
    },
    {
        name: "type: API Gateway v2 VPC link into a service VPC",
        expect: TYPE,
        edits: program(`new aws.apigatewayv2.VpcLink("orders-link", { name: "orders-link", subnetIds: ${subnetsOf(ORDERS_VPC)}, securityGroupIds: [] });
new aws.apigatewayv2.Api("orders-http", { protocolType: "HTTP" });`),
    },
    {
        name: "type: REST API outside any component that owns one",
        expect: TYPE,
        edits: program(`new aws.apigateway.RestApi("orders-api", { endpointConfiguration: { types: "REGIONAL" } });`),
    },
    {
        name: "type: Direct Connect gateway association",
        expect: TYPE,
        edits: program(`const dx = new aws.directconnect.Gateway("onprem", { name: "onprem", amazonSideAsn: "64512" });
new aws.directconnect.GatewayAssociation("onprem-orders", { dxGatewayId: dx.id, associatedGatewayId: "vgw-0abc1234def567890" });`),
    },
    {
        name: "type: Network Firewall with subnets in two service VPCs",
        expect: TYPE,
        edits: program(`new aws.networkfirewall.Firewall("inspection", {
    name: "inspection", firewallPolicyArn: "arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/default", vpcId: ${WEB_VPC},
    subnetMappings: [{ subnetId: ${subnetsOf(WEB_VPC)}.apply(ids => ids[0]) }, { subnetId: ${subnetsOf(ORDERS_VPC)}.apply(ids => ids[0]) }],
});`),
    },
    {
        name: "type: Route 53 Resolver outbound endpoint in a service VPC",
        expect: TYPE,
        edits: program(`new aws.route53.ResolverEndpoint("orders-dns-out", { direction: "OUTBOUND", securityGroupIds: ["sg-0abc1234"], ipAddresses: [{ subnetId: "subnet-0aaa" }, { subnetId: "subnet-0bbb" }] });`),
    },
    {
        name: "type: EC2 Instance Connect endpoint into a service subnet",
        expect: TYPE,
        edits: program(`new aws.ec2transitgateway.InstanceConnectEndpoint("orders-eice", { subnetId: ${subnetsOf(ORDERS_VPC)}.apply(ids => ids[0]), preserveClientIp: true });`),
    },
    {
        name: "type: Verified Access endpoint on a service's load balancer",
        expect: TYPE,
        edits: program(`const va = new aws.verifiedaccess.Instance("corp", { description: "corp access" });
new aws.verifiedaccess.Endpoint("orders-va", { attachmentType: "vpc", domainCertificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/abcd", applicationDomain: "orders.example.com", endpointDomainPrefix: "orders", endpointType: "load-balancer", verifiedAccessGroupId: "vagr-0abc", loadBalancerOptions: { loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/orders/abc", port: 443, protocol: "https", subnetIds: ["subnet-0aaa"] } });
export const verifiedAccess = va.id;`),
    },
    {
        name: "type: Lightsail instance running a copy of a service on the internet",
        expect: TYPE,
        edits: program(`new aws.lightsail.Instance("orders-demo", { availabilityZone: "us-east-1a", blueprintId: "amazon_linux_2023", bundleId: "nano_3_0" });`),
    },
    {
        name: "type: Elastic Beanstalk environment with a public load balancer",
        expect: TYPE,
        edits: program(`const app = new aws.elasticbeanstalk.Application("orders-eb", { name: "orders-eb" });
new aws.elasticbeanstalk.Environment("orders-eb-env", { application: app.name, solutionStackName: "64bit Amazon Linux 2023 v4.3.0 running Docker", settings: [{ namespace: "aws:ec2:vpc", name: "ELBScheme", value: "public" }] });`),
    },
    {
        name: "type: publicly accessible Amazon MQ broker",
        expect: TYPE,
        edits: program(`new aws.mq.Broker("orders-events", { brokerName: "orders-events", engineType: "RabbitMQ", engineVersion: "3.13", hostInstanceType: "mq.t3.micro", publiclyAccessible: true, users: [{ username: "app", password: "correct-horse-battery" }] });`),
    },
    {
        name: "type: traffic mirror session copying a service's traffic elsewhere",
        expect: TYPE,
        edits: program(`new aws.ec2.TrafficMirrorSession("orders-mirror", { networkInterfaceId: "eni-0abc1234", trafficMirrorFilterId: "tmf-0abc", trafficMirrorTargetId: "tmt-0abc", sessionNumber: 1 });`),
    },
    {
        name: "type: transit gateway peering with another account's gateway",
        expect: TYPE,
        edits: program(`new aws.ec2transitgateway.PeeringAttachment("to-partner", { transitGatewayId: "tgw-0abc", peerTransitGatewayId: "tgw-0def", peerAccountId: "999988887777", peerRegion: "us-east-1" });`),
    },
    {
        name: "type: Elastic IP associated with a service's network interface",
        expect: TYPE,
        edits: program(`const eip = new aws.ec2.Eip("orders-ip", { domain: "vpc" });
new aws.ec2.EipAssociation("orders-ip-assoc", { allocationId: eip.allocationId, networkInterfaceId: "eni-0abc1234" });`),
    },
    {
        name: "type: an internet-facing load balancer placed outside the components that own load balancers",
        expect: [TYPE, "load-balancer-internal"],
        edits: program(`new aws.lb.LoadBalancer("orders-public-nlb", { loadBalancerType: "network", internal: false, subnets: ${subnetsOf(ORDERS_VPC)} });`),
    },
    {
        name: "type: a VPC Lattice service-network endpoint in a service VPC",
        expect: [TYPE, EDGE],
        edits: program(`new aws.ec2.VpcEndpoint("web-lattice", { vpcId: ${WEB_VPC}, vpcEndpointType: "ServiceNetwork", serviceNetworkArn: "arn:aws:vpc-lattice:us-east-1:999988887777:servicenetwork/sn-0abc", subnetIds: ${subnetsOf(WEB_VPC)} });`),
    },
    // ---- Edges the catalog never declared.
    {
        name: "edge: endpoint to another service by a dependency on its endpoint service name",
        expect: [EDGE, "declared-edges-only"],
        edits: program(`new aws.ec2.VpcEndpoint("web-to-payments", { vpcId: ${WEB_VPC}, vpcEndpointType: "Interface", serviceName: services.apply(s => s.payments.endpointServiceName), subnetIds: ${subnetsOf(WEB_VPC)}, privateDnsEnabled: false });`),
    },
    {
        name: "edge: endpoint to an external endpoint service nobody configured",
        expect: EDGE,
        edits: program(`new aws.ec2.VpcEndpoint("web-to-partner", { vpcId: ${WEB_VPC}, vpcEndpointType: "Interface", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", subnetIds: ${subnetsOf(WEB_VPC)}, privateDnsEnabled: false });`),
    },
    {
        name: "edge: AWS-service endpoint the runtime does not need (Secrets Manager in every VPC)",
        expect: EDGE,
        edits: [{ file: "components/platform.ts", replace: ["endpoints: serviceEndpoints(runtime.facts.endpoints, spec.name, ctx.catalog.services),", `endpoints: { ...runtime.facts.endpoints, interface: [...runtime.facts.endpoints.interface, "secretsmanager"] },`] }],
    },
    {
        name: "edge: AWS-service endpoint in another region",
        expect: EDGE,
        edits: program(`new aws.ec2.VpcEndpoint("web-ecr-eu", { vpcId: ${WEB_VPC}, vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.ecr.api", subnetIds: ${subnetsOf(WEB_VPC)} });`),
    },
    {
        name: "edge: the platform loop given one more consumer than the catalog declares",
        expect: [EDGE, "declared-edges-only"],
        edits: [{ file: "components/platform.ts", replace: ["for (const target of spec.consumes) {", `for (const target of spec.name === "web" ? [...spec.consumes, "payments"] : spec.consumes) {`] }],
    },
    // ---- Principals not equal to the catalog's.
    {
        name: "principals: a partner account added to every endpoint service in the program",
        expect: PRINCIPALS,
        edits: [{ file: "components/platform.ts", replace: ["], spec.allowedPrincipals);", `], [...spec.allowedPrincipals, "arn:aws:iam::999988887777:root"]);`] }],
    },
    {
        name: "principals: a VpcEndpointServiceAllowedPrinciple for a partner role inside the provider component",
        expect: [PRINCIPALS, TYPE],
        edits: [{ file: "components/privateLinkService.ts", before: "        this.registerOutputs({", insert: `        new aws.ec2.VpcEndpointServiceAllowedPrinciple(\`\${name}-partner\`, { vpcEndpointServiceId: this.endpointService.id, principalArn: "arn:aws:iam::999988887777:role/partner-reader" }, { parent: this });\n` }],
    },
    {
        name: "principals: the stack's consumer principal replaced by another account's root",
        expect: PRINCIPALS,
        previewMayDefer: true,
        edits: [{ file: "components/platform.ts", replace: ["?? pulumi.interpolate`arn:${account.partition}:iam::${account.accountId}:root`;", `?? "arn:aws:iam::999988887777:root";`] }],
    },
    {
        name: "principals: a wildcard principal on a service nobody consumes",
        expect: [PRINCIPALS, "endpoint-service-principals-restricted"],
        edits: [{ file: "components/platform.ts", replace: ["], spec.allowedPrincipals);", `], spec.name === "payments" ? ["*"] : spec.allowedPrincipals);`] }],
    },
    // ---- Config that would switch the pack off.
    {
        name: "config: an exemption for every resource, expiring in 2099, over an App Runner service",
        expect: TYPE,
        policyConfig: { [TYPE]: { exemptions: [{ resource: "*", reason: "platform team knows what it is doing", expires: "2099-12-31" }] } },
        edits: program(`new aws.apprunner.Service("orders-public", { serviceName: "orders-public", sourceConfiguration: { imageRepository: { imageIdentifier: "public.ecr.aws/nginx/nginx:latest", imageRepositoryType: "ECR_PUBLIC" } } });`),
    },
    {
        name: "config: a stack-wide exemption pattern with a near expiry",
        expect: TYPE,
        policyConfig: { [TYPE]: { exemptions: [{ resource: "urn:pulumi:dev::*", reason: "temporary during the migration", expires: inDays(7) }] } },
        edits: program(`new aws.lightsail.Instance("orders-demo", { availabilityZone: "us-east-1a", blueprintId: "amazon_linux_2023", bundleId: "nano_3_0" });`),
    },
    {
        name: "config: a narrow exemption that runs for years",
        expect: TYPE,
        policyConfig: { [TYPE]: { exemptions: [{ resource: "urn:*::orders-demo", reason: "demo for the sales team", expires: "2030-01-01" }] } },
        edits: program(`new aws.lightsail.Instance("orders-demo", { availabilityZone: "us-east-1a", blueprintId: "amazon_linux_2023", bundleId: "nano_3_0" });`),
    },
    {
        name: "config: a wildcard allowance of gateways with an internet gateway in a service VPC",
        expect: "no-internet-or-cross-vpc-gateways",
        policyConfig: { "no-internet-or-cross-vpc-gateways": { enforcementLevel: "mandatory", allowedResources: ["*"] } },
        edits: program(`new aws.ec2.InternetGateway("orders-igw", { vpcId: ${ORDERS_VPC} });`),
    },
    {
        name: "config: a wildcard type allowance",
        expect: TYPE,
        policyConfig: { [TYPE]: { allowedTypes: [{ type: "*", reason: "allow new services while we build the list", expires: inDays(30) }] } },
        edits: program(`new aws.lightsail.Instance("orders-demo", { availabilityZone: "us-east-1a", blueprintId: "amazon_linux_2023", bundleId: "nano_3_0" });`),
    },
    {
        name: "config: an undated external-service allowance with a wildcard consumer",
        expect: EDGE,
        policyConfig: { [EDGE]: { externalServices: [{ serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", consumers: ["*"], reason: "partner feed" }] } },
        edits: program(`new aws.ec2.VpcEndpoint("web-to-partner", { vpcId: ${WEB_VPC}, vpcEndpointType: "Interface", serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", subnetIds: ${subnetsOf(WEB_VPC)} });`),
    },
    // ---- Secrets as the engine passes them.
    {
        name: "secret: an admin policy document wrapped in pulumi.secret()",
        expect: "iam-no-wildcard-admin-statements",
        edits: [{
            file: "components/runtimes/fargate/component.ts",
            before: "        this.registerOutputs({",
            insert: `        new aws.iam.RolePolicy(\`\${name}-break-glass\`, { role: this.service.name, policy: pulumi.secret(${JSON.stringify(SECRET_ADMIN_DOC)}) }, { parent: this });\n`,
        }],
    },
];

describe("red team: default-deny (types, edges, principals, config, secrets)", function () {
    this.timeout(600_000);
    after(cleanUp);

    it(`holds at least 30 cases, each named once`, () => {
        assert.ok(cases.length >= 30, `${cases.length} cases`);
        assert.strictEqual(new Set(cases.map((c) => c.name)).size, cases.length);
    });

    for (const c of cases) {
        it(c.name, async () => {
            for (const mode of ["up", "preview"] as const) {
                const result = await planEdited(c.edits, { mode, policyConfig: c.policyConfig, stackConfig: c.stackConfig });
                assertRefused(c, result, mode);
            }
        });
    }

    it("edge: another service's endpoint service name pasted as a literal", async () => {
        // The engineer copies payments' service name from the console (the deployed value).
        const deployed = await planEdited([], { mode: "up" });
        const svc = deployed.resources.find((r) => r.type === "aws:ec2/vpcEndpointService:VpcEndpointService" && r.name.startsWith("payments"))!;
        const name = String(svc.outputs.serviceName);
        assert.match(name, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-/);
        const c: RedTeamCase = {
            name: "edge: literal serviceName of another service",
            expect: EDGE,
            // Added where the engineer has web's VPC at hand: the Platform component's loop over services.
            edits: [{
                file: "components/platform.ts",
                after: "const { spec, runtime, vpc, registry, link, key } = provider;",
                insert: `
        if (spec.name === "web") {
            new aws.ec2.VpcEndpoint("web-to-payments", { vpcId: vpc.vpc.id, vpcEndpointType: "Interface", serviceName: "${name}", subnetIds: vpc.subnetIds, privateDnsEnabled: false }, { parent });
        }`,
            }],
        };
        for (const mode of ["up", "preview"] as const) {
            const result = await planEdited(c.edits, { mode });
            assertRefused(c, result, mode);
            if (mode === "up") {
                assert.ok(mandatoryOf(result.violations).some((v) => v.policy === EDGE && /connects web to payments \(by its literal service name/.test(v.message)), "up resolves the literal to payments");
            }
        }
    });

    it("secret values are judged but never printed: records, outputs, --json and text output keep them masked", async () => {
        const c = cases.find((x) => x.name.startsWith("secret:"))!;
        for (const mode of ["up", "preview"] as const) {
            const result = await planEdited(c.edits, { mode });
            assert.ok(mandatoryOf(result.violations).some((v) => v.policy === "iam-no-wildcard-admin-statements" && v.message.includes("BreakGlassForIncident4711")));
            const policy = result.resources.find((r) => r.name === "web-break-glass")!;
            assert.strictEqual(policy.inputs.policy, "[secret]");
            for (const printed of [JSON.stringify(result, null, 2), renderText(result)]) {
                assert.ok(!printed.includes(SECRET_ADMIN_DOC), `${mode}: the secret document is printed`);
                assert.ok(!printed.includes(JSON.stringify(SECRET_ADMIN_DOC).slice(1, -1)), `${mode}: the secret document is printed escaped`);
            }
        }
    });
});
