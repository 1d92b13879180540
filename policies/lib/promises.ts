/**
 * The promises the pack keeps by meaning, for the threat model in
 * docs/policies.md: each with the rules that keep it, what they read, and
 * what is still out of reach. The lists of keys and properties come from the
 * tables the rules use, so the document cannot drift from them.
 */
import { DESTINATIONS } from "../facts/destinations";
import { KEY_ADMIN_ACTIONS } from "./escalation";
import { PERMISSION_DOC_TYPES } from "./iam";
import { ACCOUNT_CONDITION_KEYS } from "./identity-walk";

export interface PackPromise {
    promise: string;
    rules: string[];
    reads: string;
    outOfReach: string;
}

function keys(): string {
    return ACCOUNT_CONDITION_KEYS.map((k) => `\`${k}\``).join(", ");
}

export function promises(): PackPromise[] {
    const types = new Set(DESTINATIONS.map((d) => d.type));
    return [
        {
            promise:
                "No account outside the environment is named anywhere: granted, trusted, admitted by a condition, deployed into or written to. The environment's accounts come from configuration only (`policies/lib/identity.ts`): the deploying account (`aws:allowedAccountIds`, which the AWS provider enforces, or the rule's `accountIds`), shard accounts, `allowedPrincipals`, declared subscribers, `platform.consumerPrincipal`, the EKS admin and view roles, the front door's Cognito pool, notification subscribers, and AWS-owned accounts AWS documents (`policies/facts/aws-accounts.ts`); anything else needs an exception with a reason and an expiry.",
            rules: ["identity-accounts-declared", "resource-policy-no-foreign-account"],
            reads:
                "every property of every AWS resource and AWS provider (JSON documents inside strings included, at any depth): ARNs in any property, account ids under account properties, policy principals, " +
                `and the condition keys ${keys()} (in an Allow statement under positive operators, in a Deny statement under negated ones); a wildcard account is any account, an organization id is every account of it.`,
            outOfReach:
                "a stack that declares no deploying account (`aws:allowedAccountIds` or `accountIds`) cannot be judged by account: it gets one mandatory violation with the command that sets it instead, and the account AWS writes into the plan's ARNs is never taken for its own. Values that name an account by other means (an AMI id, an access key id, a bucket name) are not accounts here. An endpoint service's principals are left to `endpoint-service-principals-match-catalog`, which derives them from the catalog (a consumer shard without an account is admitted by the root of the account that deploys it, which no configuration names).",
        },
        {
            promise: "Data goes only to the environment: every property that sends data, pulls code or trust, or encrypts under a key points at a resource of the plan, an account of the environment, or a declared external destination with a reason and an expiry.",
            rules: ["destinations-in-environment"],
            reads: `${DESTINATIONS.length} properties of ${types.size} types (\`policies/facts/destinations.ts\`, with sources; a test fails when an allowed type has a destination-like property the table neither lists nor excuses).`,
            outOfReach:
                "an AMI's owner; a destination a running workload chooses itself (an SDK call to another account's bucket is IAM's and the endpoint policy's to stop); options of log drivers other than awslogs (`awsfirelens` outputs).",
        },
        {
            promise: "No secret reaches a workload in the clear, whatever it is called: secrets travel as references the runtime resolves.",
            rules: ["workload-no-secrets-in-content", "ecs-task-no-plaintext-secrets", "lambda-no-plaintext-secrets"],
            reads:
                "every string a workload sees (`policies/lib/workload-strings.ts`): ECS containers' environment, command, entry point, health check and labels; Lambda variables; launch template and instance user data (base64 decoded); Kubernetes containers' env, command and args. " +
                "Values are scanned by content with secretlint's recommended rule set (pinned, MIT) and an entropy test (random-looking base64 runs of 20+ characters at 4.5 bits per character or more, detect-secrets' limit).",
            outOfReach: "a secret split across strings, encoded other than base64 user data, or in a file the image carries; a short or dictionary password with no credential syntax around it (`--password hunter2`).",
        },
        {
            promise: "No task controls its host: no container runtime socket and no sensitive host path is mounted into a workload.",
            rules: ["workload-no-host-runtime-mounts", "ecs-task-not-privileged"],
            reads: "ECS task definitions' `volumes[].hostPath` and Kubernetes `hostPath` volumes, against the runtime sockets (Docker, containerd, CRI-O, the ECS agent), the agents' state and the host's root, /etc, /proc, /sys, /dev, /boot and home directories, after normalizing `..`.",
            outOfReach: "a mount added to the node or instance itself (user data) rather than to the task; Kubernetes objects the platform does not create.",
        },
        {
            promise: "A service accepts connections only from the consumers the catalog declares, and no workload of one service sits in another's VPC, whatever its resources are called.",
            rules: ["endpoint-connection-accepter-declared", "workload-in-owned-vpc", "vpc-single-tenant"],
            reads:
                "an accepter's endpoint, traced to a consumer endpoint of the plan (its consumer tag or VPC owner) or to the endpoint id a consumer shard exports for an edge (`endpoints[\"<consumer>-><provider>\"]` of its stack reference), against the catalog's edges and the endpoint service's owner; " +
                "placement through every placement property's dependencies, nested ones included (a launch template's `networkInterfaces`, the `launchTemplate` or `mixedInstancesPolicy` an Auto Scaling group launches from, `networkInterfaceId`).",
            outOfReach:
                "a subnet or endpoint given as a literal id with no dependency (placement follows dependencies, never ids). No rule trusts a resource for its parent's type token: the front door is the component whose parent is the stack's one platform component (`frontdoor-only-internet-facing`), and its routes are judged by what they reach; `resource-type-allowed` still reads where a type sits from the URN's chain of types, which decides only where a type may be, not what it may do.",
        },
        {
            promise:
                "Only the catalog's routes reach a service, each with the authorizer the catalog names: every method the API serves is a route the catalog declares (path and HTTP method), its integration reaches that route's service and nothing else, its authorization is the catalog's, an open route is open because the catalog says so (with a reason) and reaches that service, no route's target is chosen by a stage variable at request time, the API's resource policy admits no account outside the environment to its AWS_IAM routes, and the stage's WAF blocks.",
            rules: ["apigateway-routes-match-catalog", "apigateway-method-authorized", "apigateway-no-stage-variables", "apigateway-integration-private", "apigateway-resource-policy-restricted", "apigateway-stage-waf", "frontdoor-only-internet-facing"],
            reads:
                "each method's `httpMethod`, its resource path (the resources' `pathPart` through `parentId` up to the API root), `authorization` and `authorizerId`; the authorizer's `type`, `providerArns` (against `platform.frontDoor.cognito.userPoolArn`) and the function its `authorizerUri` invokes, with that function's VPC and its `environment.variables` `JWT_ISSUER`, `JWT_AUDIENCES` and `JWKS_SHA256` (against `platform.frontDoor.jwt`'s issuer, audiences and the SHA-256 of its JWKS document); " +
                "the integration's `type`, `connectionId` (the VPC link, the VPC of its `subnetIds`, a v1 link's `targetArns`), `integrationTarget` and the path of its `uri`; the load balancer's listeners, listener rules (`priority`, path patterns, other conditions) and default actions, their target groups and attachments (`targetId` and dependencies) through the accepter to the interface endpoint, its endpoint service, that service's NLB and the owner of the NLB's VPC (or a function's or a workload's VPC, an Auto Scaling attachment's group); " +
                "a stage's `variables` and an integration's `uri`, `connectionId`, `integrationTarget`, `credentials` for `${stageVariables.*}`; the REST API's resource policy (`policy`, or an `aws:apigateway/restApiPolicy:RestApiPolicy`): Allow statements of `execute-api:Invoke`, their principals and the condition keys `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgID`, `aws:SourceVpc`, `aws:SourceVpce`; the web ACL's rules (`action`, `overrideAction`, `priority`, managed rule group names against `platform.frontDoor.waf.managedRuleGroups`); which component is the front door: the one front-door component whose parent (by URN) is the stack's one platform component, never any component whose type token reads like it.",
            outOfReach:
                "the token authorizer's keys travel in its code package (the plan shows an asset, not its content): the pack compares the digest its environment carries, and the function itself refuses to start when the packaged keys are not that digest's; what else its code does is not read. In preview a VPC-link route's destination is undecided (its URI carries the edge ALB's DNS name, known after `up`); the path, method, authorization and pool are decided. " +
                "Who may assume a role that IAM lets call an AWS_IAM route is the IAM rules' (not traced per route); what a managed rule group matches is AWS's. A catalog route the stack's API does not serve is advisory (the program plans it as pending while its user pool or function is missing).",
        },
        {
            promise: "No principal the plan creates can administer the platform's key or hand it on: only the account root (the account's administrators) and AWS services for their own use are trusted with it.",
            rules: ["kms-key-no-delegated-administration", "iam-no-privilege-escalation"],
            reads:
                "the key policies of the plan's KMS keys (`policy` of `aws:kms/key:Key`, `aws:kms/keyPolicy:KeyPolicy`): Allow statements to principals other than the account root and AWS services; every permission document of the plan " +
                `(${PERMISSION_DOC_TYPES.map((t) => `\`${t}\``).join(", ")}) on \`*\`, a key ARN pattern or a NotResource; the actions ${KEY_ADMIN_ACTIONS.map((a) => `\`${a}\``).join(", ")} (NotAction and wildcards expanded); \`kms:CreateGrant\` under \`kms:GrantIsForAWSResource\` true is an AWS service's and allowed.`,
            outOfReach:
                "policies the plan attaches by ARN without creating them (their documents are not in the plan); grants created at run time rather than declared; conditions other than `kms:GrantIsForAWSResource` (`kms:ViaService`, `kms:CallerAccount`) are not read as limiting administration, so a statement they would make inert is still refused.",
        },
    ];
}
