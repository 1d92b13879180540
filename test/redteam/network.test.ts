/**
 * Red-team cases: CIDRs written another way, prefix lists, and routes in
 * places a route rule might not read. Each is a realistic edit to the
 * program (index.ts or a component), planned offline and judged by the pack.
 */
import { Edit, RedTeamCase } from "./harness";
import { redTeamSuite } from "./run";

const IMPORTS = `import * as aws from "@pulumi/aws";\n`;
/** Code appended to index.ts (with the aws import). */
const inIndex = (code: string): Edit[] => [{ file: "index.ts", before: "import * as pulumi", insert: IMPORTS }, { file: "index.ts", insert: code }];
/** Code inserted in IsolatedVpc's constructor, right after the route table (every service VPC gets it). */
const inVpc = (code: string): Edit[] => [{ file: "components/isolatedVpc.ts", after: `tags: tags("private") }, parent);`, insert: `\n${code}\n` }];

const sgInVpc = (rule: string, dir: "ingress" | "egress" = "ingress") =>
    inVpc(`new aws.ec2.SecurityGroup(\`\${name}-debug\`, { vpcId: this.vpc.id, description: "debugging", ${dir}: [${rule}], tags: tags("debug") }, parent);`);

const cases: RedTeamCase[] = [
    {
        name: "ingress split in two halves: 0.0.0.0/1 + 128.0.0.0/1",
        edits: sgInVpc(`{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }`),
        expect: "security-group-no-public-ingress",
    },
    {
        name: "ingress from a run of public /8s",
        edits: sgInVpc(`{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["3.0.0.0/8", "13.0.0.0/8", "18.0.0.0/8", "52.0.0.0/8", "54.0.0.0/8"] }`),
        expect: "security-group-no-public-ingress",
    },
    {
        name: "ingress from IPv6 split: ::/1 + 8000::/1",
        edits: sgInVpc(`{ protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/1", "8000::/1"] }`),
        expect: "security-group-no-public-ingress",
    },
    {
        name: "ingress from a supernet that reaches past RFC 1918 (10.0.0.0/7)",
        edits: sgInVpc(`{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/7"] }`),
        expect: "security-group-no-public-ingress",
    },
    {
        name: "two aws.vpc.SecurityGroupIngressRule halves on the endpoint security group",
        edits: inVpc(
            `new aws.vpc.SecurityGroupIngressRule(\`\${name}-lo\`, { securityGroupId: this.endpointSecurityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/1" }, parent);\n` +
                `new aws.vpc.SecurityGroupIngressRule(\`\${name}-hi\`, { securityGroupId: this.endpointSecurityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "128.0.0.0/1" }, parent);`,
        ).map((e) => ({ ...e, after: "egress: [],\n            tags: tags(\"endpoints\"),\n        }, parent);" })),
        expect: "security-group-no-public-ingress",
    },
    {
        name: "aws.ec2.SecurityGroupRule ingress from a partner's public /24",
        edits: inIndex(`new aws.ec2.SecurityGroupRule("partner-in", { type: "ingress", securityGroupId: "sg-0123456789abcdef0", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["198.18.0.0/15", "8.8.8.0/24"] });`),
        expect: "security-group-no-public-ingress",
    },
    {
        name: "egress TCP 443 to 0.0.0.0/0 (not protocol -1)",
        edits: sgInVpc(`{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }`, "egress"),
        expect: "security-group-restricted-egress",
    },
    {
        name: "egress to public /8s on 443 (AWS's own address space, still the internet)",
        edits: sgInVpc(`{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["3.0.0.0/8", "52.0.0.0/8", "54.0.0.0/8"] }`, "egress"),
        expect: "security-group-restricted-egress",
    },
    {
        name: "egress UDP 53 to a public resolver /32",
        edits: sgInVpc(`{ protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: ["8.8.8.8/32"] }`, "egress"),
        expect: "security-group-restricted-egress",
    },
    {
        name: "egress halves as aws.vpc.SecurityGroupEgressRule on IPv6",
        edits: inVpc(
            `new aws.vpc.SecurityGroupEgressRule(\`\${name}-v6a\`, { securityGroupId: this.endpointSecurityGroup.id, ipProtocol: "-1", cidrIpv6: "::/1" }, parent);\n` +
                `new aws.vpc.SecurityGroupEgressRule(\`\${name}-v6b\`, { securityGroupId: this.endpointSecurityGroup.id, ipProtocol: "-1", cidrIpv6: "8000::/1" }, parent);`,
        ).map((e) => ({ ...e, after: "egress: [],\n            tags: tags(\"endpoints\"),\n        }, parent);" })),
        expect: "security-group-restricted-egress",
    },
    {
        name: "a customer prefix list holding 0.0.0.0/0, named by an ingress rule",
        edits: inVpc(
            `const office = new aws.ec2.ManagedPrefixList(\`\${name}-office\`, { addressFamily: "IPv4", maxEntries: 2, entries: [{ cidr: "10.0.0.0/8" }, { cidr: "0.0.0.0/0", description: "temp" }] }, parent);\n` +
                `new aws.ec2.SecurityGroup(\`\${name}-office\`, { vpcId: this.vpc.id, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [office.id] }], tags: tags("office") }, parent);`,
        ),
        expect: "prefix-list-no-public-entries",
    },
    {
        name: "a customer prefix list split in halves",
        edits: inIndex(`new aws.ec2.ManagedPrefixList("office", { addressFamily: "IPv4", maxEntries: 2, entries: [{ cidr: "0.0.0.0/1" }, { cidr: "128.0.0.0/1" }] });`),
        expect: "prefix-list-no-public-entries",
    },
    {
        name: "a ManagedPrefixListEntry adding public space to an existing list",
        edits: inIndex(`new aws.ec2.ManagedPrefixListEntry("vendor", { prefixListId: "pl-0123456789abcdef0", cidr: "52.94.0.0/16", description: "vendor API" });`),
        expect: "prefix-list-no-public-entries",
    },
    {
        name: "aws.ec2.Route to an internet gateway added in the VPC component",
        edits: inVpc(
            `const igw = new aws.ec2.InternetGateway(\`\${name}-igw\`, { vpcId: this.vpc.id }, parent);\n` +
                `new aws.ec2.Route(\`\${name}-out\`, { routeTableId: this.routeTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, parent);`,
        ),
        expect: "route-no-internet-egress",
    },
    {
        name: "DefaultRouteTable with a route to a NAT gateway",
        edits: inVpc(
            `new aws.ec2.DefaultRouteTable(\`\${name}-main\`, { defaultRouteTableId: this.vpc.defaultRouteTableId, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0123456789abcdef0" }] }, parent);`,
        ),
        expect: "route-no-internet-egress",
    },
    {
        name: "route to a Gateway Load Balancer endpoint (an inspection appliance that can forward anywhere)",
        edits: inVpc(`new aws.ec2.Route(\`\${name}-inspect\`, { routeTableId: this.routeTable.id, destinationCidrBlock: "0.0.0.0/0", vpcEndpointId: "vpce-0123456789abcdef0" }, parent);`),
        expect: "route-no-internet-egress",
    },
    {
        name: "route to a network interface (a NAT instance)",
        edits: inVpc(`new aws.ec2.Route(\`\${name}-nat-instance\`, { routeTableId: this.routeTable.id, destinationCidrBlock: "0.0.0.0/0", networkInterfaceId: "eni-0123456789abcdef0" }, parent);`),
        expect: "route-no-internet-egress",
    },
    {
        name: "route to a network interface created in the same run (unknown in preview, decided by presence)",
        edits: inVpc(
            `const eni = new aws.ec2.NetworkInterface(\`\${name}-appliance\`, { subnetId: this.subnetIds[0], sourceDestCheck: false }, parent);\n` +
                `new aws.ec2.Route(\`\${name}-via-eni\`, { routeTableId: this.routeTable.id, destinationCidrBlock: "0.0.0.0/0", networkInterfaceId: eni.id }, parent);`,
        ),
        expect: "route-no-internet-egress",
    },
    {
        name: "VGW route propagation into the private route table",
        edits: inVpc(`new aws.ec2.VpnGatewayRoutePropagation(\`\${name}-vpn\`, { vpnGatewayId: "vgw-0123456789abcdef0", routeTableId: this.routeTable.id }, parent);`),
        expect: "route-no-internet-egress",
    },
    {
        name: "propagatingVgws on the component's own route table",
        edits: [{ file: "components/isolatedVpc.ts", replace: [`{ vpcId: this.vpc.id, tags: tags("private") }`, `{ vpcId: this.vpc.id, propagatingVgws: ["vgw-0123456789abcdef0"], tags: tags("private") }`] }],
        expect: "route-no-internet-egress",
    },
    {
        name: "inline route to an egress-only internet gateway for ::/0",
        edits: [{ file: "components/isolatedVpc.ts", replace: [`{ vpcId: this.vpc.id, tags: tags("private") }`, `{ vpcId: this.vpc.id, routes: [{ ipv6CidrBlock: "::/0", egressOnlyGatewayId: "eigw-0123456789abcdef0" }], tags: tags("private") }`] }],
        expect: "route-no-internet-egress",
    },
    {
        name: "route to a transit gateway by a pasted id",
        edits: inVpc(`new aws.ec2.Route(\`\${name}-tgw\`, { routeTableId: this.routeTable.id, destinationCidrBlock: "10.128.0.0/9", transitGatewayId: "tgw-0123456789abcdef0" }, parent);`),
        expect: "route-no-internet-egress",
    },
    {
        name: "route to a Cloud WAN core network",
        edits: inVpc(`new aws.ec2.Route(\`\${name}-wan\`, { routeTableId: this.routeTable.id, destinationCidrBlock: "10.200.0.0/16", coreNetworkArn: "arn:aws:networkmanager::111122223333:core-network/core-network-0123456789abcdef0" }, parent);`),
        expect: "route-no-internet-egress",
    },
    {
        name: "EKS public endpoint open to 0.0.0.0/1 + 128.0.0.0/1 (component edited past the catalog check)",
        edits: [{ file: "components/runtimes/eks/control-plane.ts", replace: ["...endpointAccess(platform.eks),", `endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"],`] }],
        expect: "eks-endpoint-private",
    },
];

redTeamSuite("red team: CIDRs, prefix lists and routes", cases);
