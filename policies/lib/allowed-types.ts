/**
 * Default-deny: every resource type the platform creates, where it may sit in
 * the component tree, and what it means for isolation (which rules check it).
 * `resource-type-allowed` refuses any other type, and any of these outside
 * the components listed in `under`.
 *
 * `under` lists the component types one of which must be the resource's
 * parent (its URN carries the chain of its ancestors' types); ROOT means
 * "directly under the stack". The parent, not any ancestor: a child of a
 * remote component does not inherit what the platform's own component may hold. The list is data, checked against the program:
 * test/platform/allowed-types.test.ts plans the shipped stacks and a catalog
 * with every runtime and asserts the program's types equal PLATFORM_TYPES, and
 * that the children the real engine shows for remote components
 * (REMOTE_COMPONENT_CHILDREN, derived from the packages' sources) are covered.
 *
 * Adding a type: see "Adding a resource type" in docs/policies.md.
 */

import { FRONT_DOOR_COMPONENT } from "./front-door";

/** `under` value for resources registered directly under the stack. */
export const ROOT = "<root>";

export interface AllowedType {
    type: string;
    /** Component types one of which must be the parent (ROOT: directly under the stack). */
    under: readonly string[];
    /** What the type means for isolation, and the rules that check it. */
    isolation: string;
}

const PLATFORM = "privatelink:index:Platform";
const VPC = "privatelink:network:IsolatedVpc";
const KEY = "privatelink:security:PlatformKey";
const REGISTRY = "privatelink:registry:ServiceRegistry";
const LINK = "privatelink:mesh:PrivateLinkService";
const CONSUMER = "privatelink:mesh:PrivateLinkConsumer";
const FARGATE = "privatelink:runtime:FargateService";
const ECS_EC2 = "privatelink:runtime:EcsEc2Service";
const LAMBDA = "privatelink:runtime:LambdaService";
const EKS = "privatelink:runtime:EksService";
const FRONT_DOOR = FRONT_DOOR_COMPONENT;
const ECS = [FARGATE, ECS_EC2];
const RUNTIMES = [FARGATE, ECS_EC2, LAMBDA, EKS];

export const EKS_CLUSTER_COMPONENT = "eks:index:Cluster";
export const AWSX_IMAGE_COMPONENT = "awsx:ecr:Image";

/**
 * The front door's own types, allowed only under its component: the REST
 * API (the one internet-facing surface), its private integrations over one
 * VPC link v2, the edge ALB's listener rules, the stage's WAF.
 */
const FRONT_DOOR_TYPES: readonly AllowedType[] = [
    { type: "aws:apigateway/restApi:RestApi", under: [FRONT_DOOR], isolation: "The regional REST API: the stack's only internet-facing endpoint (front-door rules: authorized methods, WAF, logs, throttling)." },
    { type: "aws:apigateway/resource:Resource", under: [FRONT_DOOR], isolation: "A route's path prefix and its {proxy+} child." },
    { type: "aws:apigateway/method:Method", under: [FRONT_DOOR], isolation: "A route's method, carrying its authorizer (or auth none with the catalog's reason)." },
    { type: "aws:apigateway/integration:Integration", under: [FRONT_DOOR], isolation: "A private integration over the VPC link to the edge ALB, or a direct integration with a lambda service's function; never a public URL." },
    { type: "aws:apigateway/authorizer:Authorizer", under: [FRONT_DOOR], isolation: "Cognito user pool or the edge VPC's token authorizer function." },
    { type: "aws:apigateway/requestValidator:RequestValidator", under: [FRONT_DOOR], isolation: "Validates bodies and parameters before they reach a service." },
    { type: "aws:apigateway/model:Model", under: [FRONT_DOOR], isolation: "A route's request schema, from the repository." },
    { type: "aws:apigateway/documentationPart:DocumentationPart", under: [FRONT_DOOR], isolation: "The API's definition generation: replaced (delete before create) with every route resource when the set of routes changes, so a removed route leaves the stage in the same update." },
    { type: "aws:apigateway/deployment:Deployment", under: [FRONT_DOOR], isolation: "A snapshot of the API's routes." },
    { type: "aws:apigateway/stage:Stage", under: [FRONT_DOOR], isolation: "The served stage: access logs, X-Ray, cache; associated with the WAF web ACL." },
    { type: "aws:apigateway/methodSettings:MethodSettings", under: [FRONT_DOOR], isolation: "Per-method throttling, cache TTL, metrics." },
    { type: "aws:apigateway/account:Account", under: [FRONT_DOOR], isolation: "API Gateway's account-wide CloudWatch role, only where platform.frontDoor.manageAccountRole says this stack owns it." },
    { type: "aws:apigateway/usagePlan:UsagePlan", under: [FRONT_DOOR], isolation: "Partners' quotas and throttling on the stage." },
    { type: "aws:apigateway/apiKey:ApiKey", under: [FRONT_DOOR], isolation: "A partner's key (identification and metering, not authorization)." },
    { type: "aws:apigateway/usagePlanKey:UsagePlanKey", under: [FRONT_DOOR], isolation: "Binds a partner's key to its plan." },
    { type: "aws:apigateway/domainName:DomainName", under: [FRONT_DOOR], isolation: "The API's custom domain, regional, TLS 1.2." },
    { type: "aws:apigateway/basePathMapping:BasePathMapping", under: [FRONT_DOOR], isolation: "Maps the custom domain to the stage." },
    { type: "aws:apigatewayv2/vpcLink:VpcLink", under: [FRONT_DOOR], isolation: "The one VPC link v2: API Gateway's ENIs in the edge VPC, reaching only the edge ALB." },
    { type: "aws:lb/listenerRule:ListenerRule", under: [FRONT_DOOR], isolation: "Routes a path prefix on the edge ALB to an exposed service's endpoint IPs." },
    { type: "aws:wafv2/webAcl:WebAcl", under: [FRONT_DOOR], isolation: "AWS managed rule groups and a per-IP rate limit in front of the stage." },
    { type: "aws:wafv2/webAclAssociation:WebAclAssociation", under: [FRONT_DOOR], isolation: "Associates the web ACL with the stage." },
];

/** What the program itself registers (offline preview and engine alike). */
export const PLATFORM_TYPES: readonly AllowedType[] = [
    { type: "pulumi:pulumi:Stack", under: [ROOT], isolation: "The stack itself; its outputs carry declaredEdges and declaredPrincipals." },
    { type: PLATFORM, under: [ROOT], isolation: "The catalog's one component; everything else is below it." },
    { type: "pulumi:pulumi:StackReference", under: [ROOT], isolation: "A shard stack's read of another shard's outputs (endpoint service names and ids, endpoint ids); creates nothing (docs/scale.md)." },
    { type: VPC, under: [PLATFORM, FRONT_DOOR], isolation: "One per service, and the front door's edge VPC: the isolation boundary (vpc-single-tenant, workload-in-owned-vpc)." },
    { type: KEY, under: [PLATFORM], isolation: "The platform KMS key component." },
    { type: REGISTRY, under: [PLATFORM], isolation: "One ECR repository per service, readable by that service only." },
    { type: LINK, under: [PLATFORM], isolation: "The provider side of PrivateLink: internal NLB + endpoint service." },
    { type: CONSUMER, under: [PLATFORM, FRONT_DOOR], isolation: "One declared consumes edge (or the front door's edge to an exposed service): an interface endpoint in the consumer's VPC." },
    { type: FRONT_DOOR, under: [PLATFORM], isolation: "The API front door: the stack's only internet-facing piece (a regional REST API with WAF), reaching exposed services through its edge VPC's PrivateLink endpoints." },
    ...RUNTIMES.map((t) => ({ type: t, under: [PLATFORM], isolation: "A runtime component: the service's workload in its own VPC." })),
    { type: "aws:ec2/vpc:Vpc", under: [VPC], isolation: "A service VPC without internet or NAT gateway (no-internet-or-cross-vpc-gateways, vpc-flow-logs-enabled)." },
    { type: "aws:ec2/subnet:Subnet", under: [VPC], isolation: "Private subnets only (subnet-no-public-ip)." },
    { type: "aws:ec2/routeTable:RouteTable", under: [VPC], isolation: "Routes only inside the VPC and to the S3 gateway endpoint (route-no-internet-egress)." },
    { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", under: [VPC], isolation: "Binds the private subnets to the route table without a route out." },
    { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", under: [VPC], isolation: "The default group emptied (default-security-group-no-rules)." },
    { type: "aws:ec2/flowLog:FlowLog", under: [VPC], isolation: "Flow logs of the VPC (vpc-flow-logs-enabled)." },
    { type: "aws:cloudwatch/logGroup:LogGroup", under: [VPC, ...RUNTIMES, FRONT_DOOR], isolation: "Encrypted, retained logs; no network reach." },
    { type: "aws:ec2/securityGroup:SecurityGroup", under: [VPC, LAMBDA, EKS, ECS_EC2, CONSUMER, FRONT_DOOR], isolation: "Reach inside one VPC (security-group-no-public-ingress, security-group-restricted-egress)." },
    { type: "aws:ec2/vpcEndpoint:VpcEndpoint", under: [VPC, CONSUMER], isolation: "AWS-service endpoints a runtime needs, or a declared edge (interface-endpoint-declared, declared-edges-only, aws-service-endpoint-policy)." },
    { type: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter", under: [CONSUMER, PLATFORM], isolation: "Accepts a declared consumer's connection (declared-edges-only); under the platform in a shard stack, for a consumer in another shard (components/shardWiring.ts)." },
    { type: "aws:ec2/vpcEndpointService:VpcEndpointService", under: [LINK], isolation: "The provider's gate: acceptance required, catalog principals only (endpoint-service-*)." },
    { type: "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification", under: [LINK], isolation: "Connection events to SNS (endpoint-service-connection-notification)." },
    { type: "aws:lb/loadBalancer:LoadBalancer", under: [LINK, LAMBDA, FRONT_DOOR], isolation: "Internal load balancers only (load-balancer-internal, endpoint-service-internal-nlb-only)." },
    { type: "aws:lb/listener:Listener", under: [LINK, LAMBDA, FRONT_DOOR], isolation: "Listener of an internal load balancer." },
    { type: "aws:lb/targetGroup:TargetGroup", under: [LINK, LAMBDA, FRONT_DOOR], isolation: "Targets inside the service's VPC." },
    { type: "aws:lb/targetGroupAttachment:TargetGroupAttachment", under: [LAMBDA, FRONT_DOOR], isolation: "Registers the service's own ALB/function, or (front door) the private IPs of an exposed service's interface endpoint in the edge VPC." },
    { type: "aws:sns/topic:Topic", under: [LINK], isolation: "Connection notifications; publish only by vpce.amazonaws.com for this account." },
    { type: "aws:sns/topicPolicy:TopicPolicy", under: [LINK], isolation: "Resource policy of the notification topic." },
    { type: "aws:sns/topicSubscription:TopicSubscription", under: [LINK], isolation: "Delivers connection events to a subscriber the catalog names (platform or service notifications); carries no traffic of the service." },
    { type: "aws:kms/key:Key", under: [KEY], isolation: "The platform key; its policy grants AWS services for this account." },
    { type: "aws:ecr/repository:Repository", under: [REGISTRY], isolation: "The service's images (ecr-* rules)." },
    { type: "aws:ecr/repositoryPolicy:RepositoryPolicy", under: [REGISTRY], isolation: "One reader: the service's pull role (ecr-policy-no-public-principal)." },
    { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", under: [REGISTRY], isolation: "Image retention; no access." },
    { type: AWSX_IMAGE_COMPONENT, under: [REGISTRY], isolation: "Builds and pushes the service's image to its own repository (remote component)." },
    { type: "aws:iam/role:Role", under: [VPC, ...RUNTIMES, FRONT_DOOR], isolation: "One role per purpose and service (iam-* rules, iam-role-per-service)." },
    { type: "aws:iam/rolePolicy:RolePolicy", under: [VPC, ...RUNTIMES, FRONT_DOOR], isolation: "Inline least-privilege permissions (iam-no-wildcard-admin-statements, iam-no-privilege-escalation, iam-passrole-scoped)." },
    { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", under: [EKS], isolation: "AWS-managed node policies (iam-no-admin-managed-policies)." },
    { type: "aws:iam/instanceProfile:InstanceProfile", under: [ECS_EC2], isolation: "The container instances' role." },
    { type: "aws:ecs/cluster:Cluster", under: ECS, isolation: "The service's ECS cluster." },
    { type: "aws:ecs/service:Service", under: ECS, isolation: "Tasks in the service's subnets without public IPs (ecs-service-no-public-ip, workload-in-owned-vpc)." },
    { type: "aws:ecs/taskDefinition:TaskDefinition", under: ECS, isolation: "Separate roles, no privileged containers, no plaintext secrets (ecs-task-*)." },
    { type: "aws:ecs/capacityProvider:CapacityProvider", under: [ECS_EC2], isolation: "Binds the service's Auto Scaling group." },
    { type: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", under: [ECS_EC2], isolation: "Capacity of the service's cluster." },
    { type: "aws:appautoscaling/target:Target", under: ECS, isolation: "Scaling of the service; no network reach." },
    { type: "aws:appautoscaling/policy:Policy", under: ECS, isolation: "Scaling of the service; no network reach." },
    { type: "aws:autoscaling/group:Group", under: [ECS_EC2], isolation: "Hosts in the service's subnets (workload-in-owned-vpc)." },
    { type: "aws:autoscaling/attachment:Attachment", under: [EKS], isolation: "Registers the node group with the service's own target group." },
    { type: "aws:ec2/launchTemplate:LaunchTemplate", under: [ECS_EC2, EKS], isolation: "IMDSv2, no public IP, encrypted volumes (ec2-* rules)." },
    { type: "aws:lambda/function:Function", under: [LAMBDA, FRONT_DOOR], isolation: "In the service's VPC (lambda-in-vpc, lambda-* rules)." },
    { type: "aws:lambda/permission:Permission", under: [LAMBDA, FRONT_DOOR], isolation: "Invocation by the service's own target group only, or (front door) by this API's authorizer or methods (lambda-permission-scoped)." },
    { type: "aws:sqs/queue:Queue", under: [LAMBDA], isolation: "The function's dead-letter queue." },
    { type: EKS_CLUSTER_COMPONENT, under: [EKS], isolation: "Private API, access entries only (eks-* rules); a remote component: see its children." },
    { type: "aws:eks/nodeGroup:NodeGroup", under: [EKS], isolation: "Nodes in the service's subnets (workload-in-owned-vpc)." },
    { type: "aws:eks/addon:Addon", under: [EKS], isolation: "Managed add-ons inside the cluster." },
    { type: "aws:eks/accessEntry:AccessEntry", under: [EKS], isolation: "Who may use the cluster's API." },
    { type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", under: [EKS], isolation: "What an access entry may do in the cluster." },
    { type: "aws:eks/podIdentityAssociation:PodIdentityAssociation", under: [EKS], isolation: "The workload's role for its service account." },
    { type: "pulumi:providers:kubernetes", under: [EKS], isolation: "Talks to the service's own cluster." },
    { type: "kubernetes:core/v1:Namespace", under: [EKS], isolation: "The workload's namespace." },
    { type: "kubernetes:core/v1:ServiceAccount", under: [EKS], isolation: "The workload's identity (Pod Identity)." },
    { type: "kubernetes:apps/v1:Deployment", under: [EKS], isolation: "The workload's pods." },
    { type: "kubernetes:core/v1:Service", under: [EKS], isolation: "A NodePort behind the internal NLB, never a LoadBalancer service." },
    { type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", under: [EKS], isolation: "Scaling of the workload; no network reach." },
    ...FRONT_DOOR_TYPES,
];

/** A child a remote component registers under the real engine (offline it is one resource). */
export interface RemoteChild {
    type: string;
    /** The component type it is registered under (its parent). */
    parent: string;
    /** Where the package's source creates it: path@tag:line in the cited repository. */
    source: string;
    /** When it is created, if not always. */
    condition?: string;
    /** Whether the platform's arguments (components/eksService.ts, serviceRegistry.ts) create it. */
    created: boolean;
}

/**
 * Children of the remote components the program uses, derived from their
 * sources. pulumi/pulumi-eks at tag v4.3.0 (commit 0f5a544711cbcace44720e2d70f6702925a2ea4b,
 * = @pulumi/eks 4.3.0); pulumi/pulumi-awsx at commit e60adf3cf01f3ac03cc6bc846cdd0df320afed23
 * (awsx/ecr/image.ts unchanged since v3.8.0, so as in @pulumi/awsx 3.9.0).
 * `created` follows the arguments the platform passes; the test holds the
 * platform to those arguments, so turning one on fails until this list (and
 * the allow-list) says what the new children mean.
 */
export const REMOTE_COMPONENT_CHILDREN: readonly RemoteChild[] = [
    { type: "eks:index:ServiceRole", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:529", condition: "no serviceRole given", created: true },
    { type: "aws:iam/role:Role", parent: "eks:index:ServiceRole", source: "nodejs/eks/servicerole.ts@v4.3.0:89", created: true },
    { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", parent: "eks:index:ServiceRole", source: "nodejs/eks/servicerole.ts@v4.3.0:102", condition: "one per managed policy (AmazonEKSClusterPolicy)", created: true },
    { type: "aws:eks/cluster:Cluster", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:687", created: true },
    { type: "aws:eks/addon:Addon", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:779", condition: "kube-proxy add-on unless kubeProxyAddonOptions.enabled is false", created: true },
    { type: "pulumi:providers:kubernetes", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:914", created: true },
    { type: "eks:index:VpcCniAddon", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1095", condition: "unless useDefaultVpcCni", created: true },
    { type: "aws:eks/addon:Addon", parent: "eks:index:VpcCniAddon", source: "nodejs/eks/addons/cni-addon.ts@v4.3.0:297", created: true },
    { type: "kubernetes:apps/v1:DaemonSetPatch", parent: "eks:index:VpcCniAddon", source: "nodejs/eks/addons/cni-addon.ts@v4.3.0:340", condition: "vpcCniOptions.securityContextPrivileged", created: false },
    { type: "aws:ec2/securityGroup:SecurityGroup", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:555", condition: "unless skipDefaultSecurityGroups (platform: true)", created: false },
    { type: "aws:ec2/securityGroupRule:SecurityGroupRule", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:572", condition: "with the default cluster security group: egress 0.0.0.0/0", created: false },
    { type: "eks:index:ServiceRole", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:948", condition: "instance role: unless skipDefaultNodeGroup (platform: true) and createInstanceRole unset", created: false },
    { type: "aws:iam/instanceProfile:InstanceProfile", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:177", condition: "with the instance role", created: false },
    { type: "kubernetes:core/v1:ConfigMap", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1010", condition: "aws-auth, when authenticationMode supports CONFIG_MAP (platform: API)", created: false },
    { type: "aws:eks/accessEntry:AccessEntry", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/authenticationMode.ts@v4.3.0:185", condition: "accessEntries given to the component (platform: its own, under EksService)", created: false },
    { type: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/authenticationMode.ts@v4.3.0:197", condition: "with accessEntries", created: false },
    { type: "aws:eks/fargateProfile:FargateProfile", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1155", condition: "fargate", created: false },
    { type: "aws:eks/addon:Addon", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1212", condition: "coredns unless corednsAddonOptions.enabled is false (platform: false; it adds coredns itself)", created: false },
    { type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider", parent: EKS_CLUSTER_COMPONENT, source: "nodejs/eks/cluster/cluster.ts@v4.3.0:1255", condition: "createOidcProvider (platform: false)", created: false },
    { type: "docker-build:index:Image", parent: AWSX_IMAGE_COMPONENT, source: "awsx/ecr/image.ts@e60adf3c:94", created: true },
];

/** Types of the remote children the platform's arguments create, by parent component. */
export const ENGINE_ONLY_TYPES: readonly AllowedType[] = [
    { type: "eks:index:ServiceRole", under: [EKS_CLUSTER_COMPONENT], isolation: "The EKS service role (remote child)." },
    { type: "eks:index:VpcCniAddon", under: [EKS_CLUSTER_COMPONENT], isolation: "The VPC CNI add-on (remote child)." },
    { type: "aws:iam/role:Role", under: ["eks:index:ServiceRole"], isolation: "The cluster's service role, trusted by eks.amazonaws.com (remote child; iam-* rules)." },
    { type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", under: ["eks:index:ServiceRole"], isolation: "AmazonEKSClusterPolicy on the service role (remote child; iam-no-admin-managed-policies)." },
    { type: "aws:eks/cluster:Cluster", under: [EKS_CLUSTER_COMPONENT], isolation: "The cluster itself (remote child; eks-* rules, workload-in-owned-vpc)." },
    { type: "aws:eks/addon:Addon", under: [EKS_CLUSTER_COMPONENT, "eks:index:VpcCniAddon"], isolation: "kube-proxy and VPC CNI managed add-ons (remote children)." },
    { type: "pulumi:providers:kubernetes", under: [EKS_CLUSTER_COMPONENT], isolation: "The component's provider for its own cluster (remote child)." },
    { type: "docker-build:index:Image", under: [AWSX_IMAGE_COMPONENT], isolation: "The build pushing to the service's own repository (remote child)." },
    // Default providers: registered by the engine at the root for each package used.
    ...["aws", "kubernetes", "eks", "awsx", "docker-build"].map((p) => ({
        type: `pulumi:providers:${p}`,
        under: [ROOT],
        isolation: "A default provider: the stack's own account and region.",
    })),
];

/** Every allowed type with where it may sit (one entry per type, `under` merged). */
export function allowList(extra: readonly AllowedType[] = []): Map<string, AllowedType> {
    const out = new Map<string, AllowedType>();
    for (const e of [...PLATFORM_TYPES, ...ENGINE_ONLY_TYPES, ...extra]) {
        const prev = out.get(e.type);
        out.set(e.type, prev ? { ...prev, under: [...new Set([...prev.under, ...e.under])] } : { ...e, under: [...e.under] });
    }
    return out;
}

/** The ancestors' types of a resource, outermost first, from its URN (`urn:pulumi:stack::project::A$B$type::name`). */
export function ancestorTypes(urn: string): string[] {
    const parts = urn.split("::");
    const chain = parts.length >= 4 ? parts[2].split("$") : [];
    return chain.slice(0, -1);
}

/** Whether a resource with these ancestors may sit where it is under `entry`: its parent's type is one of `under`. */
export function placedAllowed(entry: AllowedType, ancestors: readonly string[]): boolean {
    const parent = ancestors.length === 0 ? ROOT : ancestors[ancestors.length - 1];
    return entry.under.includes(parent);
}

/**
 * The AWS-service endpoints each runtime needs in a VPC without internet or
 * NAT (names after `com.amazonaws.<region>.`): the only AWS-service endpoints
 * a service VPC may hold besides configured extras. Kept equal to
 * components/catalog/endpoints.ts by test/platform/allowed-types.test.ts.
 */
export const RUNTIME_AWS_ENDPOINTS: Readonly<Record<string, { interface: readonly string[]; gateway: readonly string[] }>> = {
    fargate: { interface: ["ecr.api", "ecr.dkr", "logs"], gateway: ["s3"] },
    "ecs-ec2": { interface: ["ecs", "ecs-agent", "ecs-telemetry", "ecr.api", "ecr.dkr", "logs"], gateway: ["s3"] },
    eks: { interface: ["ec2", "ecr.api", "ecr.dkr", "sts", "eks-auth", "logs", "elasticloadbalancing"], gateway: ["s3"] },
    lambda: { interface: [], gateway: [] },
};
