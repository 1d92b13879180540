/**
 * Every input property of a type the pack allows that sends data somewhere,
 * pulls code or trust from somewhere, or encrypts under someone's key: the
 * destinations `destinations-in-environment` judges like network edges.
 *
 * A path is dotted; `[]` steps into each element of a list; `{json}` parses
 * a property the provider takes as a JSON string (a task definition's
 * containers, a queue's redrive policy). `kind` says how a value names its
 * owner:
 *
 * - `arn`: an ARN names its account; a plain name or id (a log group name)
 *   names a resource of the caller's own account;
 * - `key`: a KMS key by ARN or alias ARN names its account; a bare key id or
 *   alias names the caller's own ("To specify a KMS key in a different AWS
 *   account, you must use its key ARN or alias ARN": AWS KMS Developer
 *   Guide, "Key identifiers (KeyId)",
 *   https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id);
 * - `bucket`: an S3 bucket name or `arn:aws:s3:::` ARN names no owner (bucket
 *   names are global: Amazon S3 User Guide, "General purpose bucket naming
 *   rules", https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html);
 *   only a bucket of the plan is inside;
 * - `image`: a private ECR image names its registry's account
 *   (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>`: Amazon ECR User
 *   Guide, "Amazon ECR private registry",
 *   https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html);
 *   any other registry is outside;
 * - `url`: a URL, host or address outside AWS's ARNs: inside only when it is
 *   a value of the plan (a load balancer's DNS name);
 * - `any`: an ARN, a URL or an address (an SNS subscription's endpoint, an
 *   API Gateway integration's URI).
 *
 * Sources: the properties as the provider documents them
 * (terraform-provider-aws `website/docs/r/<resource>.html.markdown`, which
 * @pulumi/aws 7.48.0 bridges; its TypeScript declarations list them), and the
 * AWS page named with each entry for what the property sends.
 */
export type DestinationKind = "arn" | "key" | "bucket" | "image" | "url" | "any";

export interface DestinationProperty {
    type: string;
    path: string;
    kind: DestinationKind;
    /** What goes there. */
    carries: string;
    source: string;
}

const ELB_LOGS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html";
const ALB_ACTIONS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#rule-action-types";
const ECS_TASKDEF = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";
const LAMBDA = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html";
const ESM = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html";
const DDB = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html";
const S3_REPLICATION = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html";
const S3_SSE = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html";
const SQS_DLQ = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html";

const d = (type: string, path: string, kind: DestinationKind, carries: string, source: string): DestinationProperty => ({ type, path, kind, carries, source });

/** Listener and listener-rule actions: where requests, tokens and redirects go. */
function lbActions(type: string, list: string): DestinationProperty[] {
    return [
        d(type, `${list}[].targetGroupArn`, "arn", "requests", ALB_ACTIONS),
        d(type, `${list}[].forward.targetGroups[].arn`, "arn", "requests", ALB_ACTIONS),
        d(type, `${list}[].redirect.host`, "url", "clients (redirected)", ALB_ACTIONS),
        d(type, `${list}[].authenticateOidc.authorizationEndpoint`, "url", "clients (sign-in)", ALB_ACTIONS),
        d(type, `${list}[].authenticateOidc.tokenEndpoint`, "url", "the client secret and codes", ALB_ACTIONS),
        d(type, `${list}[].authenticateOidc.userInfoEndpoint`, "url", "access tokens", ALB_ACTIONS),
        d(type, `${list}[].jwtValidation.jwksEndpoint`, "url", "trust: the keys tokens are checked against", ALB_ACTIONS),
        d(type, `${list}[].authenticateCognito.userPoolArn`, "arn", "clients (sign-in) and trust", ALB_ACTIONS),
    ];
}

export const DESTINATIONS: readonly DestinationProperty[] = [
    // API Gateway.
    d("aws:apigateway/stage:Stage", "accessLogSettings.destinationArn", "arn", "access logs", "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html"),
    d("aws:apigateway/integration:Integration", "uri", "any", "requests", "https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html"),
    d("aws:apigateway/authorizer:Authorizer", "authorizerUri", "any", "callers' tokens", "https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html"),
    d("aws:apigateway/authorizer:Authorizer", "providerArns", "arn", "trust: the user pools tokens are checked against", "https://docs.aws.amazon.com/apigateway/latest/api/API_Authorizer.html"),
    d("aws:apigateway/domainName:DomainName", "mutualTlsAuthentication.truststoreUri", "bucket", "trust: the client CAs", "https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html"),
    // Logs and network.
    d("aws:ec2/flowLog:FlowLog", "logDestination", "arn", "VPC flow records", "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html"),
    d("aws:cloudwatch/logGroup:LogGroup", "kmsKeyId", "key", "log data encrypted under the key", "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"),
    d("aws:ec2/routeTable:RouteTable", "routes[].coreNetworkArn", "arn", "packets", "https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html"),
    d("aws:ec2/routeTable:RouteTable", "routes[].odbNetworkArn", "arn", "packets", "https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html"),
    d("aws:ec2/vpcEndpoint:VpcEndpoint", "resourceConfigurationArn", "arn", "connections", "https://docs.aws.amazon.com/vpc/latest/privatelink/use-resource-endpoint.html"),
    d("aws:ec2/vpcEndpoint:VpcEndpoint", "serviceNetworkArn", "arn", "connections", "https://docs.aws.amazon.com/vpc/latest/privatelink/service-network-endpoints.html"),
    d("aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification", "connectionNotificationArn", "arn", "connection events", "https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#create-endpoint-service-notification"),
    d("aws:ec2/launchTemplate:LaunchTemplate", "blockDeviceMappings[].ebs.kmsKeyId", "key", "volume data encrypted under the key", "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html"),
    // Load balancing and scaling.
    d("aws:lb/loadBalancer:LoadBalancer", "accessLogs.bucket", "bucket", "access logs", ELB_LOGS),
    d("aws:lb/loadBalancer:LoadBalancer", "connectionLogs.bucket", "bucket", "connection logs", "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-connection-logs.html"),
    d("aws:lb/loadBalancer:LoadBalancer", "healthCheckLogs.bucket", "bucket", "health-check logs", ELB_LOGS),
    ...lbActions("aws:lb/listener:Listener", "defaultActions"),
    ...lbActions("aws:lb/listenerRule:ListenerRule", "actions"),
    d("aws:autoscaling/group:Group", "targetGroupArns", "arn", "instances registered as targets", "https://docs.aws.amazon.com/autoscaling/ec2/userguide/attach-load-balancer-asg.html"),
    d("aws:autoscaling/group:Group", "initialLifecycleHooks[].notificationTargetArn", "arn", "lifecycle events", "https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html"),
    d("aws:autoscaling/attachment:Attachment", "lbTargetGroupArn", "arn", "instances registered as targets", "https://docs.aws.amazon.com/autoscaling/ec2/userguide/attach-load-balancer-asg.html"),
    // ECS.
    d("aws:ecs/taskDefinition:TaskDefinition", "containerDefinitions{json}[].image", "image", "code pulled and run", ECS_TASKDEF),
    d("aws:ecs/taskDefinition:TaskDefinition", "containerDefinitions{json}[].logConfiguration.options.awslogs-group", "arn", "container logs", ECS_TASKDEF),
    d("aws:ecs/taskDefinition:TaskDefinition", "volumes[].s3filesVolumeConfiguration.accessPointArn", "arn", "files read and written", ECS_TASKDEF),
    d("aws:ecs/taskDefinition:TaskDefinition", "volumes[].s3filesVolumeConfiguration.fileSystemArn", "arn", "files read and written", ECS_TASKDEF),
    d("aws:ecs/service:Service", "loadBalancers[].targetGroupArn", "arn", "tasks registered as targets", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html"),
    d("aws:ecs/service:Service", "loadBalancers[].advancedConfiguration.alternateTargetGroupArn", "arn", "tasks registered as targets", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html"),
    d("aws:ecs/service:Service", "serviceRegistries.registryArn", "arn", "task addresses", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html"),
    d("aws:ecs/service:Service", "deploymentConfiguration.lifecycleHooks[].hookTargetArn", "arn", "deployment events", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html"),
    d("aws:ecs/service:Service", "volumeConfiguration.managedEbsVolume.kmsKeyId", "key", "volume data encrypted under the key", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ebs-volumes.html"),
    d("aws:ecs/service:Service", "serviceConnectConfiguration.services[].tls.kmsKey", "key", "Service Connect TLS keys encrypted under the key", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-tls.html"),
    d("aws:ecs/service:Service", "vpcLatticeConfigurations[].targetGroupArn", "arn", "tasks registered as targets", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-vpc-lattice.html"),
    d("aws:ecs/cluster:Cluster", "configuration.executeCommandConfiguration.kmsKeyId", "key", "exec session data", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"),
    d("aws:ecs/cluster:Cluster", "configuration.executeCommandConfiguration.logConfiguration.s3BucketName", "bucket", "exec session logs", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"),
    d("aws:ecs/cluster:Cluster", "configuration.executeCommandConfiguration.logConfiguration.cloudWatchLogGroupName", "arn", "exec session logs", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"),
    d("aws:ecs/cluster:Cluster", "configuration.managedStorageConfiguration.kmsKeyId", "key", "task storage encrypted under the key", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ebs-kms-encryption.html"),
    d("aws:ecs/cluster:Cluster", "configuration.managedStorageConfiguration.fargateEphemeralStorageKmsKeyId", "key", "task storage encrypted under the key", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-storage-encryption.html"),
    // Lambda.
    d("aws:lambda/function:Function", "deadLetterConfig.targetArn", "arn", "failed events", "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html"),
    d("aws:lambda/function:Function", "layers", "arn", "code pulled and run", "https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html"),
    d("aws:lambda/function:Function", "imageUri", "image", "code pulled and run", LAMBDA),
    d("aws:lambda/function:Function", "s3Bucket", "bucket", "code pulled and run", LAMBDA),
    d("aws:lambda/function:Function", "loggingConfig.logGroup", "arn", "function logs", "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html"),
    d("aws:lambda/function:Function", "fileSystemConfig.arn", "arn", "files read and written", "https://docs.aws.amazon.com/lambda/latest/dg/configuration-filesystem.html"),
    d("aws:lambda/function:Function", "kmsKeyArn", "key", "environment variables encrypted under the key", LAMBDA),
    d("aws:lambda/function:Function", "sourceKmsKeyArn", "key", "code encrypted under the key", LAMBDA),
    // Queues, topics, keys of data stores.
    d("aws:sns/topic:Topic", "kmsMasterKeyId", "key", "messages encrypted under the key", "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html"),
    d("aws:sns/topicSubscription:TopicSubscription", "endpoint", "any", "every message of the topic", "https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html"),
    d("aws:sns/topicSubscription:TopicSubscription", "redrivePolicy{json}.deadLetterTargetArn", "arn", "undeliverable messages", "https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html"),
    d("aws:sqs/queue:Queue", "kmsMasterKeyId", "key", "messages encrypted under the key", "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html"),
    d("aws:sqs/queue:Queue", "redrivePolicy{json}.deadLetterTargetArn", "arn", "messages that fail", SQS_DLQ),
    d("aws:ecr/repository:Repository", "encryptionConfigurations[].kmsKey", "key", "images encrypted under the key", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html"),
    d("aws:eks/cluster:Cluster", "encryptionConfig.provider.keyArn", "key", "Kubernetes secrets encrypted under the key", "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html"),
    // Event sources and schedules (a service's triggers).
    ...["amazonManagedKafkaEventSourceConfig", "selfManagedKafkaEventSourceConfig"].flatMap((at) => [
        d("aws:lambda/eventSourceMapping:EventSourceMapping", `${at}.schemaRegistryConfig.schemaRegistryUri`, "any", "records' schemas fetched", ESM),
        d("aws:lambda/eventSourceMapping:EventSourceMapping", `${at}.schemaRegistryConfig.accessConfigs[].uri`, "arn", "credentials for the schema registry", ESM),
    ]),
    d("aws:lambda/eventSourceMapping:EventSourceMapping", "eventSourceArn", "arn", "records pulled into the function", ESM),
    d("aws:lambda/eventSourceMapping:EventSourceMapping", "destinationConfig.onFailure.destinationArn", "arn", "records of batches that failed", ESM),
    d("aws:lambda/eventSourceMapping:EventSourceMapping", "kmsKeyArn", "key", "filter criteria encrypted under the key", ESM),
    d("aws:lambda/eventSourceMapping:EventSourceMapping", "sourceAccessConfigurations[].uri", "arn", "credentials or network access for the source", ESM),
    d("aws:cloudwatch/eventTarget:EventTarget", "ecsTarget.taskDefinitionArn", "arn", "a task definition run on each event", "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_EcsParameters.html"),
    d("aws:cloudwatch/eventTarget:EventTarget", "redshiftTarget.secretsManagerArn", "arn", "database credentials read on each event", "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RedshiftDataParameters.html"),
    // Data stores (a service's data).
    d("aws:dynamodb/table:Table", "serverSideEncryption.kmsKeyArn", "key", "items encrypted under the key", DDB),
    d("aws:dynamodb/table:Table", "replicas[].kmsKeyArn", "key", "a replica's items encrypted under the key", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GlobalTables.html"),
    d("aws:dynamodb/table:Table", "replicas[].streamArn", "arn", "a replica's change stream", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GlobalTables.html"),
    d("aws:dynamodb/table:Table", "importTable.s3BucketSource.bucket", "bucket", "items imported from the bucket", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataImport.HowItWorks.html"),
    d("aws:dynamodb/table:Table", "restoreBackupArn", "arn", "items restored from a backup", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Restore.Tutorial.html"),
    d("aws:dynamodb/table:Table", "restoreSourceTableArn", "arn", "items restored from another table", "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.Tutorial.html"),
    d("aws:s3/bucket:Bucket", "logging.targetBucket", "bucket", "server access logs", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html"),
    d("aws:s3/bucket:Bucket", "replicationConfiguration.rules[].destination.bucket", "bucket", "every replicated object", S3_REPLICATION),
    d("aws:s3/bucket:Bucket", "replicationConfiguration.rules[].destination.replicaKmsKeyId", "key", "replicas encrypted under the key", S3_REPLICATION),
    d("aws:s3/bucket:Bucket", "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.kmsMasterKeyId", "key", "objects encrypted under the key", S3_SSE),
    d("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "rules[].applyServerSideEncryptionByDefault.kmsMasterKeyId", "key", "objects encrypted under the key", S3_SSE),
    // Components offline sees as one resource, and Kubernetes objects.
    d("awsx:ecr:Image", "repositoryUrl", "image", "the image pushed", "pulumi-awsx awsx/schema-types.ts (ecr:Image inputs); https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-push-ecr-image.html"),
    d("docker-build:index:Image", "tags", "image", "the image pushed", "pulumi-docker-build provider/internal/image.go (tags); https://docs.docker.com/reference/cli/docker/image/push/"),
    d("kubernetes:apps/v1:Deployment", "spec.template.spec.containers[].image", "image", "code pulled and run", "https://kubernetes.io/docs/concepts/containers/images/"),
];

/**
 * Properties that look like destinations by name and are not: each is
 * judged elsewhere, or says nothing about where data goes. Matched against
 * the last segment of a path (or the whole path when it holds a dot).
 */
export const NOT_DESTINATIONS: readonly { match: RegExp; reason: string }[] = [
    { match: /(^|\.)(\w*RoleArn|roleArn|deliverCrossAccountRole)$/, reason: "a role a service assumes: an identity, whose account identity-accounts-declared judges and the IAM rules read" },
    { match: /(^|\.)\w*[cC]ertificateArn$/, reason: "a certificate the service presents: identity, not data" },
    { match: /(^|\.)(principalArn|sourceArn|providerArn)$/, reason: "who may act: identity-accounts-declared and the IAM rules judge the account" },
    { match: /(^|\.)(policyArn|managedPolicyArns)$/, reason: "a managed policy attached: iam-aws-managed-policies-vetted and iam-no-admin-managed-policies" },
    { match: /capacityReservation|outpost|licenseConfigurationArn|hostResourceGroupArn|capacityProviderArn|autoScalingGroupArn/i, reason: "where capacity comes from, not where data goes" },
    { match: /(^|\.)codeSigningConfigArn$/, reason: "the signing profile that checks code, not a source of code" },
    { match: /(^|\.)(httpEndpoint|privateDnsOnlyForInboundResolverEndpoint|disableExecuteApiEndpoint|invokedViaFunctionUrl)$/, reason: "a switch, not an address" },
    { match: /(^|\.)(loadBalancerArn|listenerArn|networkLoadBalancerArns|gatewayLoadBalancerArns)$/, reason: "the resource's own parent or backing load balancer: placement and endpoint-service-internal-nlb-only" },
    { match: /(^|\.)(iamInstanceProfile\.arn|ec2InstanceProfileArn)$/, reason: "an instance's identity" },
    { match: /^(arn|topic|resourceArn|webAclArn|keyId|targetGroupArn|trustStoreArn)$/, reason: "the resource this one configures (a policy's topic, a subscription's topic, the stage a web ACL protects, a plan's key, the target group an attachment joins), not a destination" },
    { match: /(^|\.)xksKeyId$/, reason: "an external key store's key id: custom key stores are not created by the platform" },
    { match: /^(bucket|queueUrl)$/, reason: "the bucket or queue this resource configures (its policy, versioning, encryption or public-access block; a bucket's own name), not a destination" },
    { match: /^replicationConfiguration\.rules\[\]\.destination$/, reason: "the block that holds a replication rule's destination: its bucket and key are listed as destinations" },
    { match: /^grants\[\]\.uri$/, reason: "a grantee group (an ACL's identity, such as AllUsers), not where data goes: who may read is judged by the S3 public-access rules and identity-accounts-declared" },
    { match: /^imageId$/, reason: "an AMI id names no owner; out of reach offline (the threat model in docs/policies.md)" },
];
