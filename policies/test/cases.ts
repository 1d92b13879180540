/**
 * Every resource rule, compliant and non-compliant, on hand-built records.
 * Each bad case names fragments its message must contain: the offending
 * property/value, and every message must carry a "Fix:".
 */
interface Case {
    type: string;
    props: Record<string, unknown>;
    expect?: string[];
}
interface RuleCases {
    good: Case[];
    bad: Case[];
    config?: Record<string, unknown>;
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SGR = "aws:ec2/securityGroupRule:SecurityGroupRule";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const ALB = "aws:alb/loadBalancer:LoadBalancer";
const ELB2 = "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer";
const EKS = "aws:eks/cluster:Cluster";
const EKSC = "eks:index:Cluster";
const FN = "aws:lambda/function:Function";
const ECR = "aws:ecr/repository:Repository";
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const STAGE = "aws:apigateway/stage:Stage";
const MS = "aws:apigateway/methodSettings:MethodSettings";
const DOMAIN = "aws:apigateway/domainName:DomainName";
const API = "aws:apigateway/restApi:RestApi";
const ALL_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const containers = (...defs: unknown[]) => JSON.stringify(defs);
const goodEks = {
    vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], endpointPublicAccess: false, endpointPrivateAccess: true },
    enabledClusterLogTypes: ALL_LOGS,
    encryptionConfig: { provider: { keyArn: "arn:aws:kms:us-east-1:111111111111:key/k" }, resources: ["secrets"] },
    version: "1.32",
    accessConfig: { authenticationMode: "API" },
};
const goodEksComponent = {
    endpointPublicAccess: false,
    enabledClusterLogTypes: ALL_LOGS,
    encryptionConfigKeyArn: "arn:aws:kms:us-east-1:111111111111:key/k",
    version: "1.32",
    authenticationMode: "API",
};
const goodFn = {
    runtime: "nodejs22.x",
    vpcConfig: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
    reservedConcurrentExecutions: 10,
};

export const CASES: Record<string, RuleCases> = {
    "default-security-group-no-rules": {
        good: [{ type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", props: { ingress: [], egress: [] } }],
        bad: [{ type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] }, expect: ["1 ingress rule", "ingress: []"] }],
    },
    "security-group-no-public-ingress": {
        good: [
            { type: SG, props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] } },
            { type: SGR, props: { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] } },
            { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", props: { cidrIpv4: "10.0.0.0/8", ipProtocol: "tcp" } },
        ],
        bad: [
            { type: SG, props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] }] }, expect: ["ingress[0]", "0.0.0.0/0", "22-22"] },
            { type: SG, props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"] }] }, expect: ["::/0"] },
            { type: SGR, props: { type: "ingress", protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }, expect: ["type ingress", "0.0.0.0/0"] },
            { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", props: { cidrIpv6: "::/0", ipProtocol: "-1" }, expect: ["cidrIpv6", "::/0"] },
            { type: SG, props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }] }, expect: ["0.0.0.0/1", "128.0.0.0/1", "cover every IPv4 address"] },
            { type: SG, props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/1", "8000::/1"] }] }, expect: ["8000::/1", "every IPv6 address"] },
            { type: SGR, props: { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["52.0.0.0/8"] }, expect: ["52.0.0.0/8"] },
            { type: SG, props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/7"] }] }, expect: ["10.0.0.0/7"] },
        ],
    },
    "security-group-restricted-egress": {
        good: [
            { type: SG, props: { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"], prefixListIds: ["pl-63a5400a"] }] } },
            { type: SG, props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16", "100.64.0.0/10", "172.16.0.0/12"] }] } },
            { type: SGR, props: { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] } },
        ],
        bad: [
            { type: SG, props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }, expect: ["egress[0]", "-1 0-0", "0.0.0.0/0"] },
            { type: SG, props: { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }, expect: ["tcp 443-443", "0.0.0.0/0"] },
            { type: SGR, props: { type: "egress", protocol: "all", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }, expect: ["::/0"] },
            { type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, expect: ["cidrIpv4", "0.0.0.0/0"] },
            { type: SG, props: { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["3.0.0.0/8", "52.0.0.0/8", "54.0.0.0/8"] }] }, expect: ["3.0.0.0/8", "54.0.0.0/8"] },
        ],
    },
    "prefix-list-no-public-entries": {
        good: [
            { type: "aws:ec2/managedPrefixList:ManagedPrefixList", props: { addressFamily: "IPv4", maxEntries: 2, entries: [{ cidr: "10.0.0.0/16" }, { cidr: "100.64.0.0/16" }] } },
            { type: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry", props: { prefixListId: "pl-1", cidr: "192.168.0.0/24" } },
        ],
        bad: [
            { type: "aws:ec2/managedPrefixList:ManagedPrefixList", props: { entries: [{ cidr: "10.0.0.0/16" }, { cidr: "0.0.0.0/0" }] }, expect: ["0.0.0.0/0", "every address"] },
            { type: "aws:ec2/managedPrefixList:ManagedPrefixList", props: { entries: [{ cidr: "0.0.0.0/1" }, { cidr: "128.0.0.0/1" }] }, expect: ["128.0.0.0/1"] },
            { type: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry", props: { prefixListId: "pl-1", cidr: "52.94.0.0/16" }, expect: ["cidr", "52.94.0.0/16"] },
        ],
    },
    "subnet-no-public-ip": {
        good: [{ type: "aws:ec2/subnet:Subnet", props: { cidrBlock: "10.0.0.0/24" } }, { type: "aws:ec2/subnet:Subnet", props: { mapPublicIpOnLaunch: false } }],
        bad: [{ type: "aws:ec2/subnet:Subnet", props: { mapPublicIpOnLaunch: true }, expect: ["mapPublicIpOnLaunch = true"] }],
    },
    "route-no-internet-egress": {
        good: [
            { type: "aws:ec2/route:Route", props: { destinationCidrBlock: "10.1.0.0/16", gatewayId: "local" } },
            { type: "aws:ec2/routeTable:RouteTable", props: { routes: [] } },
            { type: "aws:ec2/routeTable:RouteTable", props: { vpcId: "vpc-1" } },
            { type: "aws:ec2/defaultRouteTable:DefaultRouteTable", props: { defaultRouteTableId: "rtb-1", routes: [] } },
        ],
        bad: [
            { type: "aws:ec2/route:Route", props: { destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-123" }, expect: ["gatewayId", "igw-123", "0.0.0.0/0"] },
            { type: "aws:ec2/route:Route", props: { destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }, expect: ["natGatewayId", "nat-1"] },
            { type: "aws:ec2/routeTable:RouteTable", props: { routes: [{ cidrBlock: "10.9.0.0/16", vpcPeeringConnectionId: "pcx-1" }] }, expect: ["routes[0]", "pcx-1"] },
            { type: "aws:ec2/routeTable:RouteTable", props: { routes: [{ cidrBlock: "10.9.0.0/16", transitGatewayId: "tgw-1" }] }, expect: ["transitGatewayId", "tgw-1"] },
            { type: "aws:ec2/route:Route", props: { destinationCidrBlock: "0.0.0.0/0", vpcEndpointId: "vpce-gwlb" }, expect: ["vpcEndpointId", "vpce-gwlb"] },
            { type: "aws:ec2/route:Route", props: { destinationCidrBlock: "0.0.0.0/0", networkInterfaceId: "eni-1" }, expect: ["networkInterfaceId"] },
            { type: "aws:ec2/route:Route", props: { destinationIpv6CidrBlock: "::/0", egressOnlyGatewayId: "eigw-1" }, expect: ["::/0", "egressOnlyGatewayId"] },
            { type: "aws:ec2/route:Route", props: { destinationCidrBlock: "10.50.0.0/16", gatewayId: "vgw-1" }, expect: ["vgw-1"] },
            { type: "aws:ec2/route:Route", props: { destinationCidrBlock: "0.0.0.0/0", coreNetworkArn: "arn:aws:networkmanager::1:core-network/c" }, expect: ["coreNetworkArn"] },
            { type: "aws:ec2/defaultRouteTable:DefaultRouteTable", props: { defaultRouteTableId: "rtb-1", routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }] }, expect: ["routes[0]", "nat-1"] },
            { type: "aws:ec2/routeTable:RouteTable", props: { vpcId: "vpc-1", propagatingVgws: ["vgw-1"] }, expect: ["propagatingVgws"] },
            { type: "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation", props: { vpnGatewayId: "vgw-1", routeTableId: "rtb-1" }, expect: ["rtb-1"] },
        ],
    },
    "no-internet-or-cross-vpc-gateways": {
        good: [
            { type: "aws:ec2/vpc:Vpc", props: {} },
            { type: "awsx:ec2:Vpc", props: { natGateways: { strategy: "None" }, subnetSpecs: [{ type: "Isolated" }] } },
        ],
        bad: [
            { type: "aws:ec2/internetGateway:InternetGateway", props: {}, expect: ["InternetGateway", "bypasses PrivateLink"] },
            { type: "aws:ec2/natGateway:NatGateway", props: {}, expect: ["NatGateway"] },
            { type: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway", props: {}, expect: ["EgressOnlyInternetGateway"] },
            { type: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", props: { vpcId: "vpc-1", peerVpcId: "vpc-2" }, expect: ["VpcPeeringConnection"] },
            { type: "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter", props: {}, expect: ["VpcPeeringConnectionAccepter"] },
            { type: "aws:ec2transitgateway/vpcAttachment:VpcAttachment", props: {}, expect: ["VpcAttachment"] },
            { type: "aws:ec2/vpnGateway:VpnGateway", props: {}, expect: ["VpnGateway"] },
            { type: "aws:ec2/vpnConnection:VpnConnection", props: {}, expect: ["VpnConnection"] },
            { type: "aws:ec2clientvpn/endpoint:Endpoint", props: {}, expect: ["ec2clientvpn"] },
            { type: "awsx:ec2:Vpc", props: {}, expect: ["natGateways.strategy", "OnePerAz"] },
            { type: "awsx:ec2:Vpc", props: { natGateways: { strategy: "None" } }, expect: ["subnetSpecs", "Public"] },
        ],
    },
    "endpoint-service-acceptance-required": {
        good: [{ type: "aws:ec2/vpcEndpointService:VpcEndpointService", props: { acceptanceRequired: true } }],
        bad: [
            { type: "aws:ec2/vpcEndpointService:VpcEndpointService", props: { acceptanceRequired: false }, expect: ["acceptanceRequired = false"] },
            { type: "aws:ec2/vpcEndpointService:VpcEndpointService", props: {}, expect: ["acceptanceRequired = null"] },
        ],
    },
    "endpoint-service-principals-restricted": {
        config: { allowedAccounts: ["111111111111", "222222222222"] },
        good: [
            { type: "aws:ec2/vpcEndpointService:VpcEndpointService", props: { allowedPrincipals: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:role/consumer"] } },
            { type: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple", props: { principalArn: "arn:aws:iam::222222222222:root" } },
        ],
        bad: [
            { type: "aws:ec2/vpcEndpointService:VpcEndpointService", props: { allowedPrincipals: ["*"] }, expect: ['allowedPrincipals[0]', '"*"'] },
            { type: "aws:ec2/vpcEndpointService:VpcEndpointService", props: { allowedPrincipals: ["arn:aws:iam::333333333333:root"] }, expect: ["333333333333", "allowedAccounts"] },
            // Documentation accounts are refused even when the allow-list names them (here: none is configured for this case's type).
            { type: "aws:ec2/vpcEndpointService:VpcEndpointService", props: { allowedPrincipals: ["arn:aws:iam::111111111111:root", "arn:aws:iam::210987654321:root"] }, expect: ["allowedPrincipals[1]", "210987654321", "documentation"] },
            { type: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple", props: { principalArn: "arn:aws:iam::444455556666:role/settlement-reader" }, expect: ["444455556666", "documentation"] },
            { type: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple", props: { principalArn: "arn:aws:iam::*:root" }, expect: ["principalArn", "arn:aws:iam::*:root"] },
            { type: "aws:ec2/vpcEndpointService:VpcEndpointService", props: { allowedPrincipals: ["someone"] }, expect: ['"someone"', "not an IAM principal ARN"] },
        ],
    },
    "aws-service-endpoint-policy": {
        good: [
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.s3", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::prod-region-starport-layer-bucket/*" }) } },
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-1", tags: { "privatelink:endpoint-kind": "mesh" } } },
            // No policy is demanded where AWS accepts none (or where support is unverified).
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.ecs-agent", tags: { "privatelink:endpoint-kind": "aws-service" } } },
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.ecs-telemetry", tags: { "privatelink:endpoint-kind": "aws-service" } } },
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.eks-auth", tags: { "privatelink:endpoint-kind": "aws-service" } } },
        ],
        bad: [
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.ecr.api", tags: { "privatelink:endpoint-kind": "aws-service" } }, expect: ["com.amazonaws.us-east-1.ecr.api", "no endpoint policy"] },
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.logs", policy: doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }) }, expect: ['Action "*"'] },
            // The advice for S3 names the ECR layer bucket statement, never just an account condition.
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.eu-west-1.s3", tags: { "privatelink:endpoint-kind": "aws-service" } }, expect: ["no endpoint policy", "prod-<region>-starport-layer-bucket/*", "no account condition"] },
        ],
    },
    "endpoint-policy-supported": {
        good: [
            // Services without endpoint-policy support get no policy at all.
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.ecs-agent", vpcEndpointType: "Interface" } },
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.ecs-telemetry", vpcEndpointType: "Interface", policy: "" } },
            // Services that support one may carry one.
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.ecs", policy: doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "111111111111" } } }) } },
            // Not in the list (or unverified): AWS decides, the rule does not guess.
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.eks-auth", policy: doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }) } },
            // Endpoint services (PrivateLink edges) are not AWS services.
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", policy: doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }) } },
        ],
        bad: [
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-east-1.ecs-agent", policy: doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "111111111111" } } }) }, expect: ["com.amazonaws.us-east-1.ecs-agent", "only the full-access endpoint policy", "amazon-ecs-developer-guide#55", "remove policy"] },
            // Even an explicit full-access document is refused by such a service.
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.eu-central-1.ecs-telemetry", policy: doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }) }, expect: ["ecs-telemetry"] },
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", props: { serviceName: "com.amazonaws.us-west-2.oidc-eks", policy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] } }, expect: ["oidc-eks"] },
        ],
    },
    "load-balancer-internal": {
        good: [
            { type: LB, props: { internal: true, loadBalancerType: "network" } },
            { type: ALB, props: { internal: true } },
            { type: ELB2, props: { internal: true } },
        ],
        bad: [
            { type: LB, props: { loadBalancerType: "network" }, expect: ["internal = false", "default: internet-facing"] },
            { type: ALB, props: { internal: false }, expect: ["internal = false"] },
            { type: ELB2, props: { internal: false }, expect: ["elasticloadbalancingv2", "internal = false"] },
            { type: "awsx:lb:NetworkLoadBalancer", props: {}, expect: ["awsx:lb:NetworkLoadBalancer"] },
        ],
    },
    "load-balancer-access-logs": {
        good: [{ type: LB, props: { accessLogs: { bucket: "b", enabled: true } } }],
        bad: [
            { type: LB, props: {}, expect: ["no accessLogs"] },
            { type: ALB, props: { accessLogs: { bucket: "b", enabled: false } }, expect: ["accessLogs.enabled = false"] },
            { type: ELB2, props: { accessLogs: { enabled: true } }, expect: ["accessLogs.bucket"] },
        ],
    },
    "load-balancer-deletion-protection": {
        good: [{ type: LB, props: { enableDeletionProtection: true } }],
        bad: [{ type: ALB, props: {}, expect: ["enableDeletionProtection = false"] }],
    },
    "ec2-no-public-ip": {
        good: [
            { type: "aws:ec2/instance:Instance", props: { associatePublicIpAddress: false } },
            { type: "aws:ec2/launchTemplate:LaunchTemplate", props: { networkInterfaces: [{ associatePublicIpAddress: "false" }] } },
        ],
        bad: [
            { type: "aws:ec2/instance:Instance", props: { associatePublicIpAddress: true }, expect: ["associatePublicIpAddress = true"] },
            { type: "aws:ec2/launchTemplate:LaunchTemplate", props: { networkInterfaces: [{ associatePublicIpAddress: "true" }] }, expect: ["networkInterfaces[0].associatePublicIpAddress", '"true"'] },
            { type: "aws:ec2/launchConfiguration:LaunchConfiguration", props: { associatePublicIpAddress: true }, expect: ["LaunchConfiguration"] },
        ],
    },
    "ec2-imdsv2-required": {
        good: [
            { type: "aws:ec2/launchTemplate:LaunchTemplate", props: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } } },
            { type: "aws:ec2/instance:Instance", props: { metadataOptions: { httpEndpoint: "disabled" } } },
        ],
        bad: [
            { type: "aws:ec2/launchTemplate:LaunchTemplate", props: {}, expect: ["metadataOptions.httpTokens", "IMDSv1"] },
            { type: "aws:ec2/instance:Instance", props: { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 5 } }, expect: ["httpPutResponseHopLimit = 5", "exceeds 2"] },
        ],
    },
    "ec2-encrypted-volumes": {
        good: [
            { type: "aws:ec2/launchTemplate:LaunchTemplate", props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeType: "gp3" } }] } },
            { type: "aws:ec2/instance:Instance", props: { rootBlockDevice: { encrypted: true } } },
            { type: "aws:ebs/volume:Volume", props: { encrypted: true, size: 10 } },
        ],
        bad: [
            { type: "aws:ec2/launchTemplate:LaunchTemplate", props: {}, expect: ["declares no blockDeviceMappings", "encrypted"] },
            { type: "aws:ec2/launchTemplate:LaunchTemplate", props: { blockDeviceMappings: [{ ebs: { encrypted: "false" } }] }, expect: ["blockDeviceMappings[0].ebs.encrypted", '"false"'] },
            { type: "aws:ec2/instance:Instance", props: { rootBlockDevice: { encrypted: false } }, expect: ["rootBlockDevice.encrypted = false"] },
            { type: "aws:ec2/launchConfiguration:LaunchConfiguration", props: { ebsBlockDevices: [{ deviceName: "/dev/sdb" }] }, expect: ["ebsBlockDevices[0].encrypted"] },
            { type: "aws:ebs/volume:Volume", props: { size: 10 }, expect: ["encrypted = (unset)"] },
        ],
    },
    "lambda-no-plaintext-secrets": {
        good: [{ type: FN, props: { environment: { variables: { LOG_LEVEL: "debug", DB_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:1:secret:x" } } } }],
        bad: [{ type: FN, props: { environment: { variables: { API_KEY: "abc123" } } }, expect: ["environment.variables.API_KEY"] }],
    },
    "ecs-service-no-public-ip": {
        good: [
            { type: "aws:ecs/service:Service", props: { networkConfiguration: { subnets: ["s"], assignPublicIp: false } } },
            { type: "awsx:ecs:FargateService", props: { networkConfiguration: { subnets: ["s"], assignPublicIp: false } } },
        ],
        bad: [
            { type: "aws:ecs/service:Service", props: { networkConfiguration: { subnets: ["s"], assignPublicIp: true } }, expect: ["networkConfiguration.assignPublicIp = true"] },
            { type: "awsx:ecs:FargateService", props: {}, expect: ["no networkConfiguration"] },
        ],
    },
    "ecs-task-no-plaintext-secrets": {
        good: [{ type: TD, props: { containerDefinitions: containers({ name: "app", environment: [{ name: "PORT", value: "80" }], secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:x" }] }) } }],
        bad: [
            { type: TD, props: { containerDefinitions: containers({ name: "app", environment: [{ name: "DB_PASSWORD", value: "hunter2" }] }) }, expect: ['container "app"', '"DB_PASSWORD"', "secrets:"] },
            { type: TD, props: { containerDefinitions: containers({ name: "app", environment: [{ name: "CFG", value: "AKIAABCDEFGHIJKLMNOP" }] }) }, expect: ['"CFG"'] },
        ],
    },
    "ecs-task-logging": {
        good: [{ type: TD, props: { containerDefinitions: containers({ name: "app", logConfiguration: { logDriver: "awslogs" } }) } }],
        bad: [
            { type: TD, props: { containerDefinitions: containers({ name: "app" }) }, expect: ['container "app"', "logConfiguration.logDriver"] },
            { type: TD, props: { containerDefinitions: "{not json" }, expect: ["not valid JSON"] },
        ],
    },
    "ecs-task-not-privileged": {
        good: [{ type: TD, props: { containerDefinitions: containers({ name: "app", privileged: false }) } }],
        bad: [
            { type: TD, props: { containerDefinitions: containers({ name: "app", privileged: true }) }, expect: ['container "app"', "privileged = true"] },
            { type: TD, props: { pidMode: "host", containerDefinitions: containers({ name: "app" }) }, expect: ['pidMode = "host"'] },
        ],
    },
    "eks-endpoint-private": {
        good: [
            { type: EKS, props: goodEks },
            { type: EKS, props: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } } },
            { type: EKSC, props: goodEksComponent },
        ],
        bad: [
            { type: EKS, props: { vpcConfig: { subnetIds: ["s"] } }, expect: ["vpcConfig.endpointPublicAccess", "0.0.0.0/0"] },
            { type: EKS, props: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }, expect: ["vpcConfig.publicAccessCidrs includes 0.0.0.0/0"] },
            { type: EKSC, props: { endpointPublicAccess: true }, expect: ["endpointPublicAccess = true"] },
            { type: EKS, props: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] } }, expect: ["128.0.0.0/1", "every IPv4 address"] },
            { type: EKSC, props: { endpointPublicAccess: true, publicAccessCidrs: ["3.0.0.0/8", "52.0.0.0/8"] }, expect: ["33554432 public addresses"] },
        ],
    },
    "eks-access-entry-principal": {
        good: [
            { type: "aws:eks/accessEntry:AccessEntry", props: { clusterName: "c", principalArn: "arn:aws:iam::111111111111:role/ops/platform-admin", type: "STANDARD" } },
            { type: "aws:eks/accessEntry:AccessEntry", props: { principalArn: "arn:aws-us-gov:iam::222222222222:user/break-glass" } },
            { type: EKSC, props: { ...goodEksComponent, accessEntries: { admin: { principalArn: "arn:aws:iam::111111111111:role/platform-admin" } } } },
            { type: EKSC, props: goodEksComponent },
        ],
        bad: [
            // What the shipped dev stack declared before: a role in the documentation account.
            { type: "aws:eks/accessEntry:AccessEntry", props: { principalArn: "arn:aws:iam::123456789012:role/platform-admin" }, expect: ["principalArn", "123456789012", "documentation"] },
            { type: "aws:eks/accessEntry:AccessEntry", props: { principalArn: "arn:aws:sts::111111111111:assumed-role/deploy/session-1" }, expect: ["assumed-role", "STS session"] },
            { type: "aws:eks/accessEntry:AccessEntry", props: { principalArn: "arn:aws:iam::111111111111:root" }, expect: ["arn:aws:iam::111111111111:root", "not an IAM role or user ARN"] },
            { type: "aws:eks/accessEntry:AccessEntry", props: { principalArn: "platform-admin" }, expect: ["platform-admin", "not an IAM role or user ARN"] },
            { type: EKSC, props: { ...goodEksComponent, accessEntries: { viewers: { principalArn: "arn:aws:iam::111122223333:role/readonly" } } }, expect: ["accessEntries.viewers.principalArn", "111122223333"] },
        ],
    },
    "eks-public-access-cidrs": {
        good: [
            { type: EKS, props: goodEks },
            { type: EKS, props: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["52.94.76.10/32", "10.0.0.0/8"] } } },
            { type: EKSC, props: goodEksComponent },
            { type: EKSC, props: { ...goodEksComponent, endpointPublicAccess: true, publicAccessCidrs: ["198.51.99.0/24", "203.0.114.0/24"] } },
        ],
        bad: [
            // What the shipped stacks declared before: TEST-NET-3.
            { type: EKSC, props: { ...goodEksComponent, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }, expect: ["publicAccessCidrs[0]", "203.0.113.0/24", "RFC 5737"] },
            { type: EKS, props: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["52.94.76.10/32", "192.0.2.17/32"] } }, expect: ["vpcConfig.publicAccessCidrs[1]", "192.0.2.0/24"] },
            { type: EKS, props: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["198.51.0.0/16"] } }, expect: ["198.51.0.0/16", "198.51.100.0/24"] },
            { type: EKS, props: { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } }, expect: ["0.0.0.0/0", "whole internet"] },
            { type: EKS, props: { vpcConfig: { subnetIds: ["s"] } }, expect: ["(default true)", "0.0.0.0/0"] },
            { type: EKSC, props: { ...goodEksComponent, endpointPublicAccess: true }, expect: ["endpointPublicAccess = true", "no publicAccessCidrs"] },
        ],
    },
    "eks-control-plane-logging": {
        good: [{ type: EKS, props: goodEks }, { type: EKSC, props: goodEksComponent }],
        bad: [
            { type: EKS, props: { enabledClusterLogTypes: ["api", "audit"] }, expect: ['"authenticator"', '"controllerManager"', '"scheduler"'] },
            { type: EKSC, props: {}, expect: ["enabledClusterLogTypes lacks"] },
        ],
    },
    "eks-secrets-encryption": {
        good: [{ type: EKS, props: goodEks }, { type: EKSC, props: goodEksComponent }],
        bad: [
            { type: EKS, props: { encryptionConfig: { provider: { keyArn: "arn:k" }, resources: [] } }, expect: ["encryptionConfig"] },
            { type: EKSC, props: {}, expect: ["encryptionConfigKeyArn"] },
        ],
    },
    "eks-minimum-version": {
        config: { minimumVersion: "1.31" },
        good: [{ type: EKS, props: goodEks }, { type: EKSC, props: {} }],
        bad: [
            { type: EKS, props: { version: "1.29" }, expect: ['version = "1.29"', "1.31"] },
            { type: EKSC, props: { version: "latest" }, expect: ['"latest"'] },
        ],
    },
    "eks-authentication-mode-api": {
        good: [{ type: EKS, props: goodEks }, { type: EKSC, props: goodEksComponent }],
        bad: [
            { type: EKS, props: {}, expect: ["accessConfig.authenticationMode", "CONFIG_MAP"] },
            { type: EKSC, props: { authenticationMode: "API_AND_CONFIG_MAP" }, expect: ['"API_AND_CONFIG_MAP"'] },
        ],
    },
    "lambda-in-vpc": {
        good: [{ type: FN, props: goodFn }],
        bad: [
            { type: FN, props: { runtime: "nodejs22.x" }, expect: ["vpcConfig.subnetIds is unset"] },
            { type: FN, props: { vpcConfig: { subnetIds: ["s"], securityGroupIds: [] } }, expect: ["securityGroupIds is empty"] },
        ],
    },
    "lambda-supported-runtime": {
        good: [{ type: FN, props: goodFn }, { type: FN, props: { packageType: "Image" } }],
        bad: [{ type: FN, props: { runtime: "python3.8" }, expect: ['runtime = "python3.8"'] }],
    },
    "lambda-reserved-concurrency": {
        good: [{ type: FN, props: goodFn }],
        bad: [
            { type: FN, props: {}, expect: ["reservedConcurrentExecutions", "unset"] },
            { type: FN, props: { reservedConcurrentExecutions: -1 }, expect: ["reservedConcurrentExecutions = -1"] },
        ],
    },
    "lambda-url-auth": {
        good: [{ type: "aws:lambda/functionUrl:FunctionUrl", props: { authorizationType: "AWS_IAM" } }],
        bad: [{ type: "aws:lambda/functionUrl:FunctionUrl", props: { authorizationType: "NONE" }, expect: ['authorizationType = "NONE"'] }],
    },
    "lambda-permission-scoped": {
        good: [{ type: "aws:lambda/permission:Permission", props: { action: "lambda:InvokeFunction", principal: "elasticloadbalancing.amazonaws.com", sourceArn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1" } }],
        bad: [
            { type: "aws:lambda/permission:Permission", props: { principal: "*", sourceArn: "arn:x" }, expect: ['principal = "*"'] },
            { type: "aws:lambda/permission:Permission", props: { principal: "sns.amazonaws.com" }, expect: ["sourceArn = null"] },
        ],
    },
    "ecr-scan-on-push": {
        good: [{ type: ECR, props: { imageScanningConfiguration: { scanOnPush: true } } }],
        bad: [{ type: ECR, props: { imageScanningConfiguration: { scanOnPush: false } }, expect: ["scanOnPush = false"] }],
    },
    "ecr-immutable-tags": {
        good: [{ type: ECR, props: { imageTagMutability: "IMMUTABLE" } }],
        bad: [{ type: ECR, props: { imageTagMutability: "MUTABLE" }, expect: ['imageTagMutability = "MUTABLE"'] }],
    },
    "ecr-kms-encryption": {
        good: [{ type: ECR, props: { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:us-east-1:1:key/k" }] } }],
        bad: [
            { type: ECR, props: {}, expect: ["no encryptionConfigurations"] },
            { type: ECR, props: { encryptionConfigurations: [{ encryptionType: "AES256" }] }, expect: ['encryptionType = "AES256"'] },
            { type: ECR, props: { encryptionConfigurations: [{ encryptionType: "KMS" }] }, expect: ["kmsKey = null"] },
        ],
    },
    "ecr-policy-no-public-principal": {
        good: [{ type: "aws:ecr/repositoryPolicy:RepositoryPolicy", props: { policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "ecr:BatchGetImage" }) } }],
        bad: [
            { type: "aws:ecr/repositoryPolicy:RepositoryPolicy", props: { policy: doc({ Sid: "pub", Effect: "Allow", Principal: "*", Action: "ecr:*" }) }, expect: ["statement pub", 'Principal "*"'] },
            { type: "aws:ecr/repositoryPolicy:RepositoryPolicy", props: { policy: { Statement: { Effect: "Allow", Principal: { AWS: "*" }, Action: ["ecr:BatchGetImage"] } } }, expect: ['{ AWS: "*" }'] },
        ],
    },
    "iam-no-wildcard-admin-statements": {
        good: [
            { type: POLICY, props: { policy: doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }) } },
            { type: POLICY, props: { policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::bucket/*" }) } },
            { type: POLICY, props: { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) } },
        ],
        bad: [
            { type: POLICY, props: { policy: doc({ Sid: "admin", Effect: "Allow", Action: "*", Resource: "*" }) }, expect: ["statement admin", 'allows "*" on resource ["*"]'] },
            { type: POLICY, props: { policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::*" }) }, expect: ['"s3:*"', "arn:aws:s3:::*"] },
            { type: POLICY, props: { policy: doc({ Effect: "Allow", Action: "ec2:*", Resource: "arn:aws:ec2:*:111111111111:instance/*" }) }, expect: ['"ec2:*"', "instance/*"] },
            { type: POLICY, props: { policy: doc({ Effect: "Allow", Action: "*:*", Resource: "*" }) }, expect: ['"*:*"'] },
            { type: ROLE, props: { inlinePolicies: [{ name: "s3", policy: doc({ Effect: "Allow", Action: ["s3:*", "ec2:Describe*"], Resource: ["*"] }) }] }, expect: ['inlinePolicies[0] ("s3")', '"s3:*"'] },
            { type: "aws:iam/rolePolicy:RolePolicy", props: { policy: { Statement: [{ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }] } }, expect: ["NotAction"] },
            { type: POLICY, props: { policy: "{oops" }, expect: ["not valid JSON"] },
        ],
    },
    "iam-aws-managed-policies-vetted": {
        good: [
            { type: ROLE, props: { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", "arn:aws:iam::111111111111:policy/own"] } },
            { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" } },
        ],
        bad: [
            { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }, expect: ["policyArn", "AmazonS3FullAccess"] },
            { type: ROLE, props: { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }, expect: ["managedPolicyArns[0]", "PowerUserAccess"] },
            { type: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", props: { roleName: "r", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, expect: ["ReadOnlyAccess"] },
        ],
    },
    "iam-trust-conditions-restrict": {
        good: [
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }) } },
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "f3b1c2" } } }) } },
            {
                type: ROLE,
                props: {
                    assumeRolePolicy: doc({
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:orders:orders", "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } },
                    }),
                },
            },
        ],
        bad: [
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole", Condition: { StringLike: { "sts:ExternalId": "*" } } }) }, expect: ["stringlike sts:externalid", "restricts nothing"] },
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "*" } } }) }, expect: ["aws:sourceaccount"] },
            {
                type: ROLE,
                props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" } } }) },
                expect: ["oidc.eks.us-east-1.amazonaws.com/id/ABC:sub", "without"],
            },
            {
                type: ROLE,
                props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } } }) },
                expect: ["repo:*"],
            },
        ],
    },
    "resource-policy-no-foreign-principal": {
        good: [
            {
                type: "aws:kms/key:Key",
                props: { arn: "arn:aws:kms:us-east-1:111111111111:key/k", policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }) },
            },
            {
                type: "aws:sns/topicPolicy:TopicPolicy",
                props: { arn: "arn:aws:sns:us-east-1:111111111111:t", policy: doc({ Effect: "Allow", Principal: { Service: "vpce.amazonaws.com" }, Action: "SNS:Publish", Resource: "*", Condition: { ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:111111111111:vpc-endpoint-service/vpce-svc-1" } } }) },
            },
            { type: "aws:sqs/queuePolicy:QueuePolicy", props: { queueUrl: "https://sqs.us-east-1.amazonaws.com/111111111111/q", policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:111111111111:t" } } }) } },
            { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", props: { bucket: "b", blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true } },
        ],
        bad: [
            { type: "aws:kms/key:Key", props: { arn: "arn:aws:kms:us-east-1:111111111111:key/k", policy: doc({ Sid: "open", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }) }, expect: ["statement open", '{ AWS: "*" }'] },
            { type: "aws:sqs/queuePolicy:QueuePolicy", props: { queueUrl: "https://sqs.us-east-1.amazonaws.com/111111111111/q", policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: "*" }) }, expect: ['Principal "*"', "sqs:*"] },
            {
                type: "aws:sns/topicPolicy:TopicPolicy",
                props: { arn: "arn:aws:sns:us-east-1:111111111111:t", policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "SNS:Publish", Resource: "*", Condition: { StringLike: { "aws:SourceArn": "*" } } }) },
                expect: ["no condition that narrows it"],
            },
            { type: "aws:secretsmanager/secretPolicy:SecretPolicy", props: { secretArn: "arn:aws:secretsmanager:us-east-1:111111111111:secret:s", policy: doc({ Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" }) }, expect: ["secretsmanager:GetSecretValue"] },
            { type: "aws:s3/bucketPolicy:BucketPolicy", props: { bucket: "b", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }, expect: ["s3:GetObject"] },
            { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", props: { bucket: "b", blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true }, expect: ["blockPublicPolicy = false"] },
        ],
    },
    "iam-no-admin-managed-policies": {
        good: [{ type: ROLE, props: { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"] } }],
        bad: [
            { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, expect: ["policyArn", "AdministratorAccess"] },
            { type: ROLE, props: { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }, expect: ["managedPolicyArns[0]", "PowerUserAccess"] },
            { type: "aws:iam/policyAttachment:PolicyAttachment", props: { policyArn: "arn:aws-us-gov:iam::aws:policy/IAMFullAccess" }, expect: ["IAMFullAccess"] },
        ],
    },
    "iam-no-users": {
        good: [{ type: ROLE, props: {} }],
        bad: [
            { type: "aws:iam/user:User", props: {}, expect: ["aws:iam/user:User"] },
            { type: "aws:iam/accessKey:AccessKey", props: { user: "u" }, expect: ["AccessKey"] },
            { type: "aws:iam/userPolicy:UserPolicy", props: {}, expect: ["UserPolicy"] },
        ],
    },
    "iam-trust-no-wildcard-principal": {
        good: [{ type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }) } }],
        bad: [
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) }, expect: ['{ AWS: "*" }'] },
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }) }, expect: ['Principal "*"'] },
        ],
    },
    "iam-cross-account-trust-conditions": {
        config: { trustedAccounts: ["111111111111"] },
        good: [
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" }) } },
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "x" } } }) } },
            { type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "999999999999" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }) } },
        ],
        bad: [{ type: ROLE, props: { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::999999999999:role/ci"] }, Action: "sts:AssumeRole" }) }, expect: ["arn:aws:iam::999999999999:role/ci", "999999999999", "sts:ExternalId"] }],
    },
    "iam-passrole-scoped": {
        good: [{ type: POLICY, props: { policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111111111111:role/orders-task" }) } }],
        bad: [
            { type: POLICY, props: { policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) }, expect: ['iam:PassRole on "*"'] },
            { type: ROLE, props: { inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "iam:Pass*", Resource: "arn:aws:iam::1:role/*" }) }] }, expect: ['"arn:aws:iam::1:role/*"'] },
            { type: POLICY, props: { policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111111111111:role/orders-?ask" }) }, expect: ['"arn:aws:iam::111111111111:role/orders-?ask"'] },
        ],
    },
    "aws-name-limits": {
        good: [
            { type: LB, props: { name: "orders-nlb-1a2b3c4" } },
            { type: "aws:lb/targetGroup:TargetGroup", props: { namePrefix: "ord-" } },
            { type: ROLE, props: { name: "dev-orders-execution+ci@team,1.=" } },
            { type: ECR, props: { name: "dev/orders" } },
            { type: ECR, props: { name: "team.a/orders_api/v-2" } },
            { type: "aws:cloudwatch/logGroup:LogGroup", props: { name: "/aws/eks/dev-orders/cluster" } },
            { type: "aws:sns/topic:Topic", props: { name: "orders-events.fifo" } },
            { type: "aws:sqs/queue:Queue", props: {} },
            { type: FN, props: { name: "dev-orders" } },
            { type: TD, props: { family: "dev-orders" } },
            { type: SG, props: { name: "orders-alb (internal)" } },
            { type: EKSC, props: { name: "dev-search" } },
            { type: "aws:kms/alias:Alias", props: { name: "alias/platform/dev" } },
            { type: "aws:kms/alias:Alias", props: {} },
        ],
        bad: [
            { type: LB, props: { name: "internal-orders-nlb" }, expect: ['begins with "internal-"', "CreateLoadBalancer"] },
            { type: ALB, props: { name: "a-very-long-service-name-alb-1a2b3c4" }, expect: ["36 characters", "at most 32"] },
            { type: LB, props: { name: "orders_nlb-" }, expect: ['"orders_nlb-"', "alphanumeric characters and hyphens"] },
            { type: "aws:lb/targetGroup:TargetGroup", props: { namePrefix: "orders-tg" }, expect: ["namePrefix", "35 characters", "26-character suffix"] },
            { type: ROLE, props: { namePrefix: "a-role-prefix-that-is-longer-than-38-chars" }, expect: ["namePrefix", "CreateRole"] },
            { type: ROLE, props: { name: "orders/execution" }, expect: ['"orders/execution"', "[\\w+=,.@-]+"] },
            { type: ECR, props: { name: "Dev/orders" }, expect: ['"Dev/orders"', "CreateRepository"] },
            { type: ECR, props: { name: "dev--x/orders" }, expect: ['"dev--x/orders"'] },
            { type: "aws:cloudwatch/logGroup:LogGroup", props: { name: "/aws/eks/dev orders" }, expect: ["CreateLogGroup"] },
            { type: "aws:sns/topic:Topic", props: { name: "orders.events" }, expect: ['"orders.events"', ".fifo"] },
            { type: "aws:sqs/queue:Queue", props: { name: "q".repeat(81) }, expect: ["81 characters", "at most 80"] },
            { type: FN, props: { name: "f".repeat(65) }, expect: ["65 characters", "at most 64"] },
            { type: TD, props: { family: "dev.eu-orders" }, expect: ['family "dev.eu-orders"'] },
            { type: SG, props: { name: "sg-orders" }, expect: ['begins with "sg-"'] },
            { type: EKSC, props: { name: "-search" }, expect: ["CreateCluster"] },
            { type: "aws:eks/nodeGroup:NodeGroup", props: { nodeGroupName: "n".repeat(64) }, expect: ["nodeGroupName", "at most 63"] },
            { type: "aws:kms/alias:Alias", props: { name: "alias/aws/platform" }, expect: ['begins with "alias/aws/"'] },
            { type: "aws:kms/alias:Alias", props: { name: "platform" }, expect: ['does not begin with "alias/"'] },
            { type: "aws:ecs/capacityProvider:CapacityProvider", props: { name: "ecs-orders" }, expect: ['begins with "ecs"'] },
        ],
    },
    "apigateway-stage-access-logging": {
        good: [{ type: STAGE, props: { stageName: "v1", accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:111111111111:log-group:/aws/apigateway/dev-front-door", format: '{"requestId":"$context.requestId"}' } } }],
        bad: [
            { type: STAGE, props: { stageName: "v1" }, expect: ["destinationArn and format not set"] },
            { type: STAGE, props: { stageName: "v1", accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:111111111111:log-group:x", format: "" } }, expect: ["format not set"] },
        ],
    },
    "apigateway-stage-xray-tracing": {
        good: [{ type: STAGE, props: { stageName: "v1", xrayTracingEnabled: true } }],
        bad: [
            { type: STAGE, props: { stageName: "v1" }, expect: ["xrayTracingEnabled = false (default false)"] },
            { type: STAGE, props: { stageName: "v1", xrayTracingEnabled: false }, expect: ["xrayTracingEnabled = false"] },
        ],
    },
    "apigateway-cache-encrypted": {
        good: [
            { type: MS, props: { methodPath: "*/*", settings: { cachingEnabled: true, cacheDataEncrypted: true, cacheTtlInSeconds: 60 } } },
            { type: MS, props: { methodPath: "*/*", settings: { metricsEnabled: true } } },
        ],
        bad: [{ type: MS, props: { methodPath: "orders/GET", settings: { cachingEnabled: true, cacheTtlInSeconds: 60 } }, expect: ["cacheDataEncrypted = false"] }],
    },
    "apigateway-domain-tls": {
        good: [
            { type: DOMAIN, props: { domainName: "api.example.com", securityPolicy: "TLS_1_2", endpointConfiguration: { types: "REGIONAL" } } },
            { type: DOMAIN, props: { domainName: "api.example.com", securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT", endpointConfiguration: { types: ["REGIONAL"] } } },
        ],
        bad: [
            { type: DOMAIN, props: { domainName: "api.example.com", endpointConfiguration: { types: "REGIONAL" } }, expect: ["(unset: TLS_1_0)", "TLS 1.0"] },
            { type: DOMAIN, props: { domainName: "api.example.com", securityPolicy: "TLS_1_0", endpointConfiguration: { types: "REGIONAL" } }, expect: ['"TLS_1_0"'] },
            { type: DOMAIN, props: { domainName: "api.example.com", securityPolicy: "TLS_1_2", endpointConfiguration: { types: "EDGE" } }, expect: ['["EDGE"]', "REGIONAL"] },
            { type: DOMAIN, props: { domainName: "api.example.com", securityPolicy: "TLS_1_2" }, expect: ["(unset: EDGE)"] },
        ],
    },
    "apigateway-rest-api-regional": {
        good: [{ type: API, props: { name: "dev-front-door", endpointConfiguration: { types: "REGIONAL" } } }],
        bad: [
            { type: API, props: { name: "dev-front-door" }, expect: ["(unset: EDGE)"] },
            { type: API, props: { name: "dev-front-door", endpointConfiguration: { types: "EDGE" } }, expect: ['["EDGE"]'] },
            { type: API, props: { name: "dev-front-door", endpointConfiguration: { types: "PRIVATE", vpcEndpointIds: ["vpce-1"] } }, expect: ['["PRIVATE"]'] },
        ],
    },
    "apigateway-rest-api-tls": {
        good: [
            { type: API, props: { name: "dev-front-door", securityPolicy: "TLS_1_2" } },
            { type: API, props: { name: "dev-front-door", securityPolicy: "SecurityPolicy_TLS13_1_3_2025_09", endpointAccessMode: "STRICT" } },
            { type: API, props: { name: "dev-front-door", disableExecuteApiEndpoint: true } },
        ],
        bad: [
            { type: API, props: { name: "dev-front-door" }, expect: ["(unset: TLS_1_0 on the default endpoint)"] },
            { type: API, props: { name: "dev-front-door", securityPolicy: "TLS_1_0", disableExecuteApiEndpoint: false }, expect: ['"TLS_1_0"'] },
        ],
    },
    "workload-no-secrets-in-content": {
        good: [
            { type: TD, props: { containerDefinitions: containers({ name: "app", image: "x", command: ["./run", "--port", "8080"], environment: [{ name: "LOG_LEVEL", value: "info" }] }) } },
            { type: FN, props: { environment: { variables: { QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/111111111111/orders" } } } },
        ],
        bad: [
            { type: TD, props: { containerDefinitions: containers({ name: "app", image: "x", command: ["./run", "--db", "postgres://orders:Winter-Harbor-2026@db.internal:5432/orders"] }) }, expect: ["command", "PostgreSQL"] },
            { type: FN, props: { environment: { variables: { SIGNING: "Zq8HtL2mV3sN4RtYw7Xk9PbQ1cDf5GhJ" } } }, expect: ["environment.variables.SIGNING", "high-entropy"] },
        ],
    },
    "workload-no-host-runtime-mounts": {
        good: [{ type: TD, props: { volumes: [{ name: "scratch" }, { name: "cache", hostPath: "/data/cache" }] } }],
        bad: [{ type: TD, props: { volumes: [{ name: "docker", hostPath: "/var/run/docker.sock" }] }, expect: ['"/var/run/docker.sock"', "Docker socket"] }],
    },
    "apigateway-no-stage-variables": {
        good: [
            { type: STAGE, props: { stageName: "v1" } },
            { type: "aws:apigateway/integration:Integration", props: { uri: "http://internal-edge.elb.amazonaws.com/shop", connectionType: "VPC_LINK" } },
        ],
        bad: [
            { type: STAGE, props: { stageName: "v1", variables: { backend: "partner.example.net" } }, expect: ["backend"] },
            { type: "aws:apigateway/integration:Integration", props: { uri: "http://${stageVariables.backend}/shop" }, expect: ["uri", "stageVariables.backend"] },
        ],
    },
};
