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
 * A runtime's own types (those below its component) are declared with the
 * runtime, in policies/facts/runtimes/<runtime>.ts; this file adds the
 * platform's other components and merges the two.
 *
 * Adding a type: see "Adding a resource type" in docs/policies.md.
 */

import { allRuntimeFacts } from "../facts/runtimes";
import type { RemoteChild } from "../facts/runtimes/types";
import { FRONT_DOOR_COMPONENT } from "./front-door";
import { SUBSCRIPTION_HANDLER_COMPONENT } from "./subscriptions";

export type { RemoteChild } from "../facts/runtimes/types";
export { EKS_CLUSTER_COMPONENT } from "../facts/runtimes/eks";

/** `under` value for resources registered directly under the stack. */
export const ROOT = "<root>";

export interface AllowedType {
    type: string;
    /** Component types one of which must be the parent (ROOT: directly under the stack). */
    under: readonly string[];
    /** What the type means for isolation, and the rules that check it. */
    isolation: string;
}

/** The platform's one component at the root of the stack (components/platform.ts). */
export const PLATFORM_COMPONENT = "privatelink:index:Platform";
const PLATFORM = PLATFORM_COMPONENT;
const VPC = "privatelink:network:IsolatedVpc";
const KEY = "privatelink:security:PlatformKey";
const REGISTRY = "privatelink:registry:ServiceRegistry";
const LINK = "privatelink:mesh:PrivateLinkService";
const CONSUMER = "privatelink:mesh:PrivateLinkConsumer";
/** An endpoint to another provider's service, declared in the consumer's `external` list (components/externalEndpoint.ts). */
const EXTERNAL = "privatelink:mesh:ExternalEndpoint";
const FRONT_DOOR = FRONT_DOOR_COMPONENT;
const HANDLER = SUBSCRIPTION_HANDLER_COMPONENT;
const DATA = "privatelink:data:ServiceData";
const ACCESS = "privatelink:access:ServiceAccess";
const TRIGGERS = "privatelink:events:ServiceTriggers";
const RUNTIMES = allRuntimeFacts().map((r) => r.component);

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

/**
 * The subscription handler's own types (components/subscriptionHandler.ts,
 * docs/saas.md): one function in its own VPC that decides connections to the
 * stack's endpoint services with subscribers, invoked by their notification
 * topics, logging every decision.
 */
const HANDLER_TYPES: readonly AllowedType[] = [
    { type: HANDLER, under: [PLATFORM], isolation: "The subscription handler: accepts, rejects or holds connection requests by the catalog's subscribers (subscription-handler-scoped)." },
    { type: VPC, under: [HANDLER], isolation: "The handler's own VPC: no route out, only its ec2 and sns endpoints, whose policies admit only its calls." },
    { type: "aws:lambda/function:Function", under: [HANDLER], isolation: "The handler, in its VPC (lambda-in-vpc, lambda-* rules)." },
    { type: "aws:lambda/permission:Permission", under: [HANDLER], isolation: "Invocation by one notification topic only (lambda-permission-scoped)." },
    { type: "aws:lambda/invocation:Invocation", under: [HANDLER], isolation: "The deployment runs the handler once when who is admitted changes (a review of its own services' connections); grants nothing." },
    { type: "aws:iam/role:Role", under: [HANDLER], isolation: "The handler's role: accept and reject on these endpoint services only (subscription-handler-scoped)." },
    { type: "aws:iam/rolePolicy:RolePolicy", under: [HANDLER], isolation: "The handler's inline permissions (subscription-handler-scoped, iam-* rules)." },
    { type: "aws:cloudwatch/logGroup:LogGroup", under: [HANDLER], isolation: "The audit log: every decision, encrypted and retained." },
    { type: "aws:sqs/queue:Queue", under: [HANDLER], isolation: "The handler's dead-letter queue, encrypted." },
    { type: "aws:sns/topicSubscription:TopicSubscription", under: [HANDLER], isolation: "Delivers a service's connection notifications to the handler; carries no traffic." },
];

/** What the program registers outside the runtimes' components (offline preview and engine alike). */
const OTHER_TYPES: readonly AllowedType[] = [
    { type: "pulumi:pulumi:Stack", under: [ROOT], isolation: "The stack itself; its outputs carry declaredEdges and declaredPrincipals." },
    { type: PLATFORM, under: [ROOT], isolation: "The catalog's one component; everything else is below it." },
    { type: "pulumi:pulumi:StackReference", under: [ROOT], isolation: "A shard stack's read of another shard's outputs (endpoint service names and ids, endpoint ids); creates nothing (docs/scale.md)." },
    { type: VPC, under: [PLATFORM, FRONT_DOOR], isolation: "One per service, and the front door's edge VPC: the isolation boundary (vpc-single-tenant, workload-in-owned-vpc)." },
    { type: KEY, under: [PLATFORM], isolation: "The platform KMS key component." },
    { type: REGISTRY, under: [PLATFORM], isolation: "One ECR repository per service, readable by that service only." },
    { type: LINK, under: [PLATFORM], isolation: "The provider side of PrivateLink: internal NLB + endpoint service." },
    { type: CONSUMER, under: [PLATFORM, FRONT_DOOR], isolation: "One declared consumes edge (or the front door's edge to an exposed service): an interface endpoint in the consumer's VPC." },
    { type: EXTERNAL, under: [PLATFORM], isolation: "One declared external service: an interface endpoint in the consumer's VPC to another provider's endpoint service, on the declared ports only (interface-endpoint-declared)." },
    { type: FRONT_DOOR, under: [PLATFORM], isolation: "The API front door: the stack's only internet-facing piece (a regional REST API with WAF), reaching exposed services through its edge VPC's PrivateLink endpoints." },
    ...RUNTIMES.map((t) => ({ type: t, under: [PLATFORM], isolation: "A runtime component: the service's workload in its own VPC (policies/facts/runtimes)." })),
    { type: "aws:ec2/vpc:Vpc", under: [VPC], isolation: "A service VPC without internet or NAT gateway (no-internet-or-cross-vpc-gateways, vpc-flow-logs-enabled)." },
    { type: "aws:ec2/subnet:Subnet", under: [VPC], isolation: "Private subnets only (subnet-no-public-ip)." },
    { type: "aws:ec2/routeTable:RouteTable", under: [VPC], isolation: "Routes only inside the VPC and to the S3 gateway endpoint (route-no-internet-egress)." },
    { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", under: [VPC], isolation: "Binds the private subnets to the route table without a route out." },
    { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", under: [VPC], isolation: "The default group emptied (default-security-group-no-rules)." },
    { type: "aws:ec2/flowLog:FlowLog", under: [VPC], isolation: "Flow logs of the VPC (vpc-flow-logs-enabled)." },
    { type: "aws:cloudwatch/logGroup:LogGroup", under: [VPC, FRONT_DOOR], isolation: "Encrypted, retained logs; no network reach." },
    { type: "aws:ec2/securityGroup:SecurityGroup", under: [VPC, CONSUMER, EXTERNAL, FRONT_DOOR], isolation: "Reach inside one VPC (security-group-no-public-ingress, security-group-restricted-egress)." },
    { type: "aws:ec2/vpcEndpoint:VpcEndpoint", under: [VPC, CONSUMER, EXTERNAL], isolation: "AWS-service endpoints a runtime needs, a declared edge, or a declared external service (interface-endpoint-declared, declared-edges-only, aws-service-endpoint-policy)." },
    { type: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter", under: [CONSUMER, PLATFORM], isolation: "Accepts a declared consumer's connection (declared-edges-only); under the platform in a shard stack, for a consumer in another shard (components/shardWiring.ts)." },
    { type: "aws:ec2/vpcEndpointService:VpcEndpointService", under: [LINK], isolation: "The provider's gate: acceptance required, catalog principals only (endpoint-service-*)." },
    { type: "aws:route53/record:Record", under: [LINK], isolation: "The TXT record that proves the service's private DNS name (its endpoint service's verification name and value, in the catalog's public zone); resolves to nothing and opens no path." },
    { type: "aws:vpc/endpointServicePrivateDnsVerification:EndpointServicePrivateDnsVerification", under: [LINK], isolation: "Asks AWS to verify the service's private DNS name once its TXT record exists; changes no access." },
    { type: "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification", under: [LINK], isolation: "Connection events to SNS (endpoint-service-connection-notification)." },
    { type: "aws:lb/loadBalancer:LoadBalancer", under: [LINK, FRONT_DOOR], isolation: "Internal load balancers only (load-balancer-internal, endpoint-service-internal-nlb-only)." },
    { type: "aws:lb/listener:Listener", under: [LINK, FRONT_DOOR], isolation: "Listener of an internal load balancer." },
    { type: "aws:lb/targetGroup:TargetGroup", under: [LINK, FRONT_DOOR], isolation: "Targets inside the service's VPC." },
    { type: "aws:lb/targetGroupAttachment:TargetGroupAttachment", under: [FRONT_DOOR], isolation: "Registers the private IPs of an exposed service's interface endpoint in the edge VPC with the edge ALB." },
    { type: "aws:sns/topic:Topic", under: [LINK, DATA], isolation: "Connection notifications; publish only by vpce.amazonaws.com for this account." },
    { type: "aws:sns/topicPolicy:TopicPolicy", under: [LINK, DATA], isolation: "Resource policy of the notification topic." },
    { type: "aws:sns/topicSubscription:TopicSubscription", under: [LINK], isolation: "Delivers connection events to a subscriber the catalog names (platform or service notifications); carries no traffic of the service." },
    { type: "aws:kms/key:Key", under: [KEY], isolation: "The platform key; its policy grants AWS services for this account." },
    { type: "aws:ecr/repository:Repository", under: [REGISTRY], isolation: "The service's images (ecr-* rules)." },
    { type: "aws:ecr/repositoryPolicy:RepositoryPolicy", under: [REGISTRY], isolation: "One reader: the service's pull role (ecr-policy-no-public-principal)." },
    { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", under: [REGISTRY], isolation: "Image retention; no access." },
    { type: AWSX_IMAGE_COMPONENT, under: [REGISTRY], isolation: "Builds and pushes the service's image to its own repository (remote component)." },
    { type: DATA, under: [PLATFORM], isolation: "The stores one service owns (catalog data): encrypted with its key, resource policies admitting only the catalog's grants (service-data-* rules)." },
    { type: ACCESS, under: [PLATFORM], isolation: "One service's grants on the stores it owns or uses and on its secrets, as the catalog declares them (iam-grants-declared)." },
    { type: TRIGGERS, under: [PLATFORM], isolation: "What invokes a lambda service besides its consumers, as its catalog triggers declare: a queue it consumes, a schedule." },
    { type: "aws:lambda/eventSourceMapping:EventSourceMapping", under: [TRIGGERS], isolation: "Polls a queue the service consumes with the function's own role (its declared consume grant)." },
    { type: "aws:cloudwatch/eventRule:EventRule", under: [TRIGGERS], isolation: "A schedule; matches no event from another account." },
    { type: "aws:cloudwatch/eventTarget:EventTarget", under: [TRIGGERS], isolation: "Targets the service's own function." },
    { type: "aws:dynamodb/table:Table", under: [DATA], isolation: "A service's table: on-demand, point-in-time recovery, encrypted with the service's key." },
    { type: "aws:dynamodb/resourcePolicy:ResourcePolicy", under: [DATA], isolation: "Admits the table's declared grants only; denies its data plane to every other principal." },
    { type: "aws:s3/bucket:Bucket", under: [DATA], isolation: "A service's bucket, named from the environment and the account." },
    { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", under: [DATA], isolation: "All four public-access blocks on." },
    { type: "aws:s3/bucketPolicy:BucketPolicy", under: [DATA], isolation: "Admits the bucket's declared grants only, TLS only." },
    { type: "aws:s3/bucketVersioning:BucketVersioning", under: [DATA], isolation: "Versioning on: an overwrite or delete keeps the previous version." },
    { type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", under: [DATA], isolation: "SSE-KMS with the service's key by default." },
    { type: "aws:sqs/queue:Queue", under: [DATA], isolation: "A service's queue and its dead-letter queue, SSE-KMS with the service's key." },
    { type: "aws:sqs/queuePolicy:QueuePolicy", under: [DATA], isolation: "Admits the queue's declared grants only, TLS only." },
    { type: "aws:iam/role:Role", under: [VPC, FRONT_DOOR], isolation: "One role per purpose and service (iam-* rules, iam-role-per-service)." },
    { type: "aws:iam/rolePolicy:RolePolicy", under: [VPC, FRONT_DOOR, ACCESS], isolation: "Inline least-privilege permissions (iam-no-wildcard-admin-statements, iam-no-privilege-escalation, iam-passrole-scoped)." },
    { type: "aws:lambda/function:Function", under: [FRONT_DOOR], isolation: "The token authorizer, in the edge VPC (lambda-in-vpc, lambda-* rules)." },
    { type: "aws:lambda/permission:Permission", under: [FRONT_DOOR, TRIGGERS], isolation: "Invocation by this API's authorizer or methods only (lambda-permission-scoped)." },
    ...FRONT_DOOR_TYPES,
    ...HANDLER_TYPES,
];

/**
 * What the program registers (offline preview and engine alike): the
 * platform's components above, and each runtime's types below its own
 * component (policies/facts/runtimes), one entry per type.
 */
export const PLATFORM_TYPES: readonly AllowedType[] = merged([
    ...OTHER_TYPES,
    ...allRuntimeFacts().flatMap((r) => r.types.map((t) => ({ type: t.type, under: [t.parent ?? r.component], isolation: t.isolation }))),
]);

/**
 * Children of the remote components the program uses, derived from their
 * sources: the runtimes' (policies/facts/runtimes: pulumi-eks's `eks:index:Cluster`)
 * and the registry's image build, pulumi/pulumi-awsx at commit e60adf3cf01f3ac03cc6bc846cdd0df320afed23
 * (awsx/ecr/image.ts unchanged since v3.8.0, so as in @pulumi/awsx 3.9.0).
 * `created` follows the arguments the platform passes; the test holds the
 * platform to those arguments, so turning one on fails until this list (and
 * the allow-list) says what the new children mean.
 */
export const REMOTE_COMPONENT_CHILDREN: readonly RemoteChild[] = [
    ...allRuntimeFacts().flatMap((r) => r.remoteChildren ?? []),
    { type: "docker-build:index:Image", parent: AWSX_IMAGE_COMPONENT, source: "awsx/ecr/image.ts@e60adf3c:94", created: true, isolation: "The build pushing to the service's own repository (remote child)." },
];

/** Types of the remote children the platform's arguments create, by parent component, and the engine's default providers. */
export const ENGINE_ONLY_TYPES: readonly AllowedType[] = [
    ...merged(REMOTE_COMPONENT_CHILDREN.filter((c) => c.created).map((c) => ({ type: c.type, under: [c.parent], isolation: c.isolation ?? "" }))),
    // Default providers: registered by the engine at the root for each package used.
    ...["aws", "kubernetes", "eks", "awsx", "docker-build"].map((p) => ({
        type: `pulumi:providers:${p}`,
        under: [ROOT],
        isolation: "A default provider: the stack's own account and region.",
    })),
];

/** One entry per type: the components it may sit under, in order of appearance, and what it means for each. */
function merged(entries: readonly AllowedType[]): AllowedType[] {
    const out = new Map<string, AllowedType>();
    for (const e of entries) {
        const prev = out.get(e.type);
        if (!prev) {
            out.set(e.type, { ...e, under: [...e.under] });
            continue;
        }
        const isolation = prev.isolation.includes(e.isolation) ? prev.isolation : `${prev.isolation} ${e.isolation}`;
        out.set(e.type, { ...prev, under: [...new Set([...prev.under, ...e.under])], isolation });
    }
    return [...out.values()];
}

/** Every allowed type with where it may sit (one entry per type, `under` merged). */
export function allowList(extra: readonly AllowedType[] = []): Map<string, AllowedType> {
    return new Map(merged([...PLATFORM_TYPES, ...ENGINE_ONLY_TYPES, ...extra]).map((e) => [e.type, e]));
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
