/**
 * The resource types the pack's analyses read, and the tags the program puts
 * on its resources: one table for the rules, the reachability model, the
 * quota count and the insights (diagram, cost, diff).
 *
 * A type token is `<package>:<module>/<resource>:<Resource>`. The AWS
 * provider serves the load-balancing resources under several tokens: the
 * `alb` module's are the `lb` module's under another name ("`aws_alb` is
 * known as `aws_lb`. The functionality is identical.": the provider's
 * documentation of `aws_lb`, terraform-provider-aws website/docs/r/lb), and
 * `elasticloadbalancingv2` is the module's older name in @pulumi/aws.
 * `kindOf` maps every alias to the token in this table, so a reader asks for
 * one kind and gets them all.
 */
export const TYPES = {
    stack: "pulumi:pulumi:Stack",
    // Network.
    vpc: "aws:ec2/vpc:Vpc",
    awsxVpc: "awsx:ec2:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    mainRouteTableAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    securityGroupEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    flowLog: "aws:ec2/flowLog:FlowLog",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    internetGatewayAttachment: "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
    egressOnlyInternetGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    natGateway: "aws:ec2/natGateway:NatGateway",
    transitGateway: "aws:ec2transitgateway/transitGateway:TransitGateway",
    peeringConnection: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    // PrivateLink.
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    vpcEndpointRouteTableAssociation: "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
    endpointServicePrincipal: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
    connectionNotification: "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification",
    connectionAccepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
    // Load balancing.
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    targetGroupAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    awsxNlb: "awsx:lb:NetworkLoadBalancer",
    awsxAlb: "awsx:lb:ApplicationLoadBalancer",
    // Compute.
    asg: "aws:autoscaling/group:Group",
    asgAttachment: "aws:autoscaling/attachment:Attachment",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    instance: "aws:ec2/instance:Instance",
    ecsService: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    appAutoscalingTarget: "aws:appautoscaling/target:Target",
    awsxFargateService: "awsx:ecs:FargateService",
    awsxEc2Service: "awsx:ecs:EC2Service",
    lambda: "aws:lambda/function:Function",
    lambdaPermission: "aws:lambda/permission:Permission",
    lambdaInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    eksCluster: "aws:eks/cluster:Cluster",
    eksComponent: "eks:index:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    k8sService: "kubernetes:core/v1:Service",
    // IAM, keys, logs.
    role: "aws:iam/role:Role",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    kmsKey: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    // The front door's API.
    apiStage: "aws:apigateway/stage:Stage",
    webAcl: "aws:wafv2/webAcl:WebAcl",
} as const;

export type TypeToken = (typeof TYPES)[keyof typeof TYPES];

/** Tokens the AWS provider also serves a resource under, by the token of TYPES. */
const ALIASES: Record<string, readonly string[]> = {
    [TYPES.loadBalancer]: ["aws:alb/loadBalancer:LoadBalancer", "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"],
    [TYPES.listener]: ["aws:alb/listener:Listener", "aws:elasticloadbalancingv2/listener:Listener"],
    [TYPES.listenerRule]: ["aws:alb/listenerRule:ListenerRule", "aws:elasticloadbalancingv2/listenerRule:ListenerRule"],
    [TYPES.targetGroup]: ["aws:alb/targetGroup:TargetGroup", "aws:elasticloadbalancingv2/targetGroup:TargetGroup"],
    [TYPES.targetGroupAttachment]: ["aws:alb/targetGroupAttachment:TargetGroupAttachment", "aws:elasticloadbalancingv2/targetGroupAttachment:TargetGroupAttachment"],
};

const KIND = new Map<string, string>(Object.entries(ALIASES).flatMap(([kind, aliases]) => aliases.map((a) => [a, kind] as [string, string])));

/** The token of TYPES a type token stands for: itself, unless it is an alias. */
export function kindOf(type: string): string {
    return KIND.get(type) ?? type;
}

/** Every token of a kind: the kind and its aliases. */
export function tokensOf(kind: string): readonly string[] {
    return [kind, ...(ALIASES[kind] ?? [])];
}

/** Load-balancer tokens, aliases included. */
export const LOAD_BALANCER_TYPES: readonly string[] = tokensOf(TYPES.loadBalancer);

export const VPC_TYPES: ReadonlySet<string> = new Set<string>([TYPES.vpc, TYPES.awsxVpc]);

/** Resources that run a workload or carry its traffic: each belongs in its own service's VPC. */
export const WORKLOAD_TYPES: ReadonlySet<string> = new Set<string>([
    TYPES.ecsService,
    TYPES.lambda,
    TYPES.eksCluster,
    TYPES.eksComponent,
    TYPES.asg,
    TYPES.nodeGroup,
    TYPES.instance,
    ...LOAD_BALANCER_TYPES,
    TYPES.awsxFargateService,
    TYPES.awsxEc2Service,
    TYPES.awsxNlb,
    TYPES.awsxAlb,
]);

/** Input properties through which a resource is placed in a VPC (directly or via subnets/SGs). */
export const PLACEMENT_PROPS: readonly string[] = [
    "vpcId",
    "subnetId",
    "subnetIds",
    "subnets",
    "subnetMappings",
    "vpcConfig",
    "networkConfiguration",
    "vpcZoneIdentifiers",
    "privateSubnetIds",
    "publicSubnetIds",
    "nodeSubnetIds",
    "securityGroups",
    "securityGroupIds",
    "vpcSecurityGroupIds",
    "securityGroupId",
    "routeTableId",
    "routeTableIds",
    "networkLoadBalancerArns",
    "loadBalancerArn",
    // Nested placement: a launch template's network interfaces (each with its own subnet and security
    // groups), and the launch template an Auto Scaling group, node group or instance launches from.
    "networkInterfaces",
    "networkInterfaceId",
    "launchTemplate",
    "mixedInstancesPolicy",
];

/**
 * The network and compute kinds whose properties the reachability model
 * reads, and whose ARNs and owner ids tell a stack's account. Under the
 * engine only these are copied out of the engine's proxy whole.
 */
export const NETWORK_KINDS: ReadonlySet<string> = new Set<string>([
    TYPES.stack,
    TYPES.vpc,
    TYPES.subnet,
    TYPES.routeTable,
    TYPES.route,
    TYPES.routeTableAssociation,
    TYPES.mainRouteTableAssociation,
    TYPES.defaultRouteTable,
    TYPES.securityGroup,
    TYPES.defaultSecurityGroup,
    TYPES.securityGroupRule,
    TYPES.securityGroupIngressRule,
    TYPES.securityGroupEgressRule,
    TYPES.internetGateway,
    TYPES.egressOnlyInternetGateway,
    TYPES.natGateway,
    TYPES.transitGateway,
    TYPES.peeringConnection,
    TYPES.vpcEndpoint,
    TYPES.vpcEndpointRouteTableAssociation,
    TYPES.endpointService,
    TYPES.endpointServicePrincipal,
    TYPES.connectionAccepter,
    TYPES.loadBalancer,
    TYPES.listener,
    TYPES.listenerRule,
    TYPES.targetGroup,
    TYPES.targetGroupAttachment,
    TYPES.asgAttachment,
    TYPES.asg,
    TYPES.launchTemplate,
    TYPES.ecsService,
    TYPES.lambda,
    TYPES.lambdaPermission,
    TYPES.nodeGroup,
    TYPES.eksCluster,
    TYPES.eksComponent,
    TYPES.k8sService,
]);

/** The tags the program puts on its resources (components/shared.ts TAG). */
export const TAGS = {
    service: "privatelink:service",
    endpointKind: "privatelink:endpoint-kind",
    consumer: "privatelink:consumer",
    provider: "privatelink:provider",
    edge: "privatelink:edge",
    shard: "privatelink:shard",
    team: "privatelink:team",
    /** On a store a service owns (catalog `data`): the store's name; its owner is the `service` tag. */
    data: "privatelink:data",
} as const;
