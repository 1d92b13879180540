import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EksPlatformSpec, imagePending, ServiceSpec } from "./catalog";
import { instanceArchitecture } from "./catalog/ecsEc2";
import { publicAccessProblem } from "./catalog/cidr";
import { requireImage } from "./ecsTask";
import { policyDocument, serviceTrustPolicy } from "./shared";
import type { Workload, WorkloadArgs } from "./workload";

export type EksServiceArgs = WorkloadArgs;

/** Every control-plane log type EKS offers. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** AWS-managed policies a managed node group's role needs (kubelet, VPC CNI, image pulls). */
export const NODE_MANAGED_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
];

const ACCESS_POLICY = {
    admin: "AmazonEKSClusterAdminPolicy",
    view: "AmazonEKSViewPolicy",
} as const;

/**
 * The NodePort the service is exposed on, derived from its port so it is
 * stable and readable: 30000 + port % 1000 (8080 → 30080, 9443 → 30443).
 * One cluster per service, so two services never compete for it.
 */
export function nodePortFor(port: number): number {
    return 30000 + (port % 1000);
}

/** The API endpoint settings: private always; public only for the listed CIDRs. */
export function endpointAccess(platform: EksPlatformSpec): {
    endpointPrivateAccess: true;
    endpointPublicAccess: boolean;
    publicAccessCidrs?: string[];
} {
    const cidrs = platform.publicAccessCidrs;
    if (cidrs.some(c => /\/0$/.test(c))) {
        throw new Error(`platform.eks.publicAccessCidrs: ${cidrs.join(", ")} opens the API to the whole internet`);
    }
    const problem = publicAccessProblem(cidrs);
    if (problem) {
        throw new Error(`platform.eks.publicAccessCidrs: ${problem}`);
    }
    return cidrs.length === 0
        ? { endpointPrivateAccess: true, endpointPublicAccess: false }
        : { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...cidrs] };
}

/** The managed node group's AMI type for its instance types (they must share an architecture). */
export function amiTypeFor(instanceTypes: string[]): string {
    const arm = instanceTypes.filter(t => instanceArchitecture(t) === "arm64");
    if (arm.length > 0 && arm.length < instanceTypes.length) {
        throw new Error(`instanceTypes mix arm64 and x86_64 (${instanceTypes.join(", ")}): one node group runs one architecture`);
    }
    if (arm.length > 0) {
        return "AL2023_ARM_64_STANDARD";
    }
    return instanceTypes.some(t => /^(g|p)\d/.test(t)) ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD";
}

/**
 * Whether the service's Kubernetes workload (Deployment and autoscaler) is
 * declared: not while its image is pending.
 */
export function runsWorkload(spec: ServiceSpec): boolean {
    return !imagePending(spec);
}

/** Node group size from the catalog's `capacity`; at least one node runs (no cluster autoscaler). */
export function nodeGroupScaling(spec: ServiceSpec): { minSize: number; maxSize: number; desiredSize: number } {
    const capacity = spec.capacity ?? { min: 1, max: 2 };
    return { minSize: capacity.min, maxSize: capacity.max, desiredSize: Math.max(capacity.min, 1) };
}

/**
 * Pod resource requests from the catalog's Fargate-style sizes: `cpu` in
 * units of 1024 per vCPU (256 → 250m), `memory` in MiB. Memory is also the
 * limit (a pod over it is killed rather than starving its node); CPU is not
 * limited, so pods may burst into idle CPU.
 */
export function podResources(spec: ServiceSpec): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
    const millicores = Math.max(1, Math.round((spec.cpu * 1000) / 1024));
    return { requests: { cpu: `${millicores}m`, memory: `${spec.memory}Mi` }, limits: { memory: `${spec.memory}Mi` } };
}

/** The container's environment, sorted by name so the Deployment is stable. */
export function containerEnv(environment: Record<string, pulumi.Input<string>>): { name: string; value: pulumi.Input<string> }[] {
    return Object.keys(environment).sort().map(name => ({ name, value: environment[name] }));
}

/**
 * One EKS cluster per microservice, in the service's isolated VPC:
 *
 * - the control plane (`eks.Cluster`): private API endpoint (public only to
 *   listed CIDRs), access entries only (authenticationMode API), every
 *   control-plane log to a retained, encrypted log group, secrets encrypted
 *   with the platform key;
 * - a managed node group in the private subnets, from a launch template
 *   that requires IMDSv2 with hop limit 1 and encrypts its volumes;
 * - the workload as a Deployment behind a NodePort Service, exposed through
 *   the PrivateLink NLB's `instance` target group, to which the node group's
 *   Auto Scaling group is attached;
 * - the pod's AWS identity through EKS Pod Identity, starting with no permissions.
 */
export class EksService extends pulumi.ComponentResource implements Workload {
    public readonly cluster: eks.Cluster;
    public readonly clusterName: string;
    public readonly nodeRole: aws.iam.Role;
    public readonly nodeGroup: aws.eks.NodeGroup;
    public readonly podRole: aws.iam.Role;
    public readonly provider: k8s.Provider;
    /** The workload; none while the image is pending (see `runsWorkload`). */
    public readonly deployment?: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    public readonly nodePort: number;
    public readonly pullRoleArn: pulumi.Output<string>;

    constructor(name: string, args: EksServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:runtime:EksService", name, {}, opts);
        const parent = { parent: this };
        const { spec, account, platform } = args;
        const { accountId, partition } = account;
        const eksPlatform = platform.eks;
        if (!spec.instanceTypes || spec.instanceTypes.length === 0) {
            throw new Error(`${spec.name}: runtime eks needs instanceTypes`);
        }
        const image = requireImage(args);
        this.nodePort = nodePortFor(spec.port);
        this.clusterName = `${args.environmentName}-${spec.name}`;

        // EKS creates /aws/eks/<cluster>/cluster unencrypted and kept forever
        // unless it exists first: create it with the platform's retention and key.
        const controlPlaneLogs = new aws.cloudwatch.LogGroup(`${name}-control-plane`, {
            name: `/aws/eks/${this.clusterName}/cluster`,
            retentionInDays: platform.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
            tags: args.tags,
        }, parent);

        this.cluster = new eks.Cluster(`${name}-eks`, {
            name: this.clusterName,
            version: eksPlatform.version,
            vpcId: args.vpcId,
            privateSubnetIds: args.subnetIds,
            ...endpointAccess(eksPlatform),
            authenticationMode: eks.AuthenticationMode.Api,
            enabledClusterLogTypes: EKS_LOG_TYPES,
            encryptionConfigKeyArn: args.kmsKeyArn,
            skipDefaultNodeGroup: true,
            // Without its own security groups the component adds none (its
            // default cluster group has an allow-all egress rule); nodes and
            // control plane then share the cluster security group EKS creates.
            skipDefaultSecurityGroups: true,
            nodeAssociatePublicIpAddress: false,
            createOidcProvider: false,
            // vpc-cni and kube-proxy come as managed add-ons from the component,
            // coredns (which needs nodes) from this component after the node group.
            bootstrapSelfManagedAddons: false,
            corednsAddonOptions: { enabled: false },
            // A shard in another account is created through a provider that assumes a role there, which
            // EKS makes the cluster's admin; kubectl's token must be that role's too (pulumi-eks v4.3.0
            // nodejs/eks/cluster/cluster.ts generateKubeconfig adds `--role` to `aws eks get-token`).
            ...(account.roleArn ? { providerCredentialOpts: { roleArn: account.roleArn } } : {}),
            tags: args.tags,
        }, { parent: this, dependsOn: [controlPlaneLogs] });
        const clusterName = this.cluster.eksCluster.name;
        const clusterArn = this.cluster.eksCluster.arn;

        this.accessEntries(name, args, clusterName, eksPlatform);

        // Nodes: their role is the one that pulls the service's images.
        this.nodeRole = new aws.iam.Role(`${name}-nodes`, {
            description: `EKS nodes of ${spec.name}: kubelet, VPC CNI and image pulls`,
            // EC2 cannot be made a confused deputy across accounts (passing a
            // role to an instance needs iam:PassRole in the role's own account)
            // and sets no aws:SourceAccount for instance profiles, so the
            // trust carries no condition.
            assumeRolePolicy: policyDocument([
                { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ]),
            tags: args.tags,
        }, parent);
        const nodePolicies = NODE_MANAGED_POLICIES.map(policy =>
            new aws.iam.RolePolicyAttachment(`${name}-nodes-${policy}`, {
                role: this.nodeRole.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
            }, parent));
        // AmazonEC2ContainerRegistryPullOnly reaches every repository: the
        // add-on images live in AWS-owned registries whose accounts differ by
        // region. Inside this account, nodes pull only this service's images.
        const ownImages = new aws.iam.RolePolicy(`${name}-nodes-own-images`, {
            role: this.nodeRole.id,
            policy: policyDocument([{
                Sid: "OnlyOwnRepositoryInThisAccount",
                Effect: "Deny",
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                NotResource: args.repositoryArn,
                Condition: { StringEquals: { "aws:ResourceAccount": accountId } },
            }]),
        }, parent);

        const nodePortSg = new aws.ec2.SecurityGroup(`${name}-nodeport`, {
            vpcId: args.vpcId,
            description: `${spec.name} NodePort ${this.nodePort} from the NLB nodes in this VPC`,
            ingress: [{
                protocol: "tcp",
                fromPort: this.nodePort,
                toPort: this.nodePort,
                cidrBlocks: [args.vpcCidr],
                description: "NodePort from the NLB nodes (traffic and health checks)",
            }],
            egress: [],
            tags: { ...args.tags, Name: `${spec.name}-nodeport` },
        }, parent);

        const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-nodes`, {
            description: `EKS nodes of ${spec.name}`,
            metadataOptions: {
                httpEndpoint: "enabled",
                httpTokens: "required",
                // One hop: processes on the node reach IMDS, pods (one hop further) do not.
                httpPutResponseHopLimit: 1,
            },
            blockDeviceMappings: [{
                deviceName: "/dev/xvda",
                ebs: { encrypted: "true", volumeSize: 20, volumeType: "gp3", deleteOnTermination: "true" },
            }],
            // The cluster security group (control plane <-> nodes, node <-> node),
            // the workload group (its egress to endpoints and consumed services;
            // consumer endpoints admit only it) and the NodePort group.
            vpcSecurityGroupIds: [this.cluster.clusterSecurityGroupId, args.securityGroupId, nodePortSg.id],
            tagSpecifications: [
                { resourceType: "instance", tags: { ...args.tags, Name: `${spec.name}-node` } },
                { resourceType: "volume", tags: args.tags },
            ],
            updateDefaultVersion: true,
            tags: args.tags,
        }, parent);

        const scaling = nodeGroupScaling(spec);
        this.nodeGroup = new aws.eks.NodeGroup(`${name}-nodes`, {
            clusterName,
            nodeRoleArn: this.nodeRole.arn,
            subnetIds: args.subnetIds,
            instanceTypes: spec.instanceTypes,
            amiType: amiTypeFor(spec.instanceTypes),
            capacityType: "ON_DEMAND",
            scalingConfig: scaling,
            updateConfig: { maxUnavailable: 1 },
            launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
            labels: { "privatelink/service": spec.name },
            tags: args.tags,
        }, {
            parent: this,
            ignoreChanges: ["scalingConfig.desiredSize"],
            // Nodes join the cluster only with the role's policies attached (kubelet,
            // VPC CNI, image pulls), and EKS needs them to drain and delete nodes:
            // the node group is created after and deleted before its role's
            // policies (the provider's documented pattern for aws.eks.NodeGroup:
            // "Ensure that IAM Role permissions are created before and deleted
            // after EKS Node Group handling").
            dependsOn: [...nodePolicies, ownImages],
        });

        // The node group's Auto Scaling group registers every node, on the
        // NodePort, with the PrivateLink NLB's instance target group.
        new aws.autoscaling.Attachment(`${name}-nlb`, {
            autoscalingGroupName: this.nodeGroup.resources.apply(r => r[0].autoscalingGroups[0].name),
            lbTargetGroupArn: args.link.targetGroup.arn,
        }, { parent: this, dependsOn: [args.link.listener] });

        // Add-ons that run on nodes: cluster DNS (the environment's endpoint
        // names), the Pod Identity agent, and metrics for the pod autoscaler.
        const addons = ["coredns", "eks-pod-identity-agent", "metrics-server"].map(addonName =>
            new aws.eks.Addon(`${name}-${addonName}`, {
                clusterName,
                addonName,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                tags: args.tags,
            }, { parent: this, dependsOn: [this.nodeGroup] }));

        // The application's AWS identity: starts with no permissions.
        this.podRole = new aws.iam.Role(`${name}-pod`, {
            description: `Application role of ${spec.name} (EKS Pod Identity); grant it only what the code calls`,
            assumeRolePolicy: serviceTrustPolicy("pods.eks.amazonaws.com", account, clusterArn, ["sts:AssumeRole", "sts:TagSession"]),
            tags: args.tags,
        }, parent);

        const namespace = spec.name;
        const labels = { app: spec.name };
        const podIdentity = new aws.eks.PodIdentityAssociation(`${name}-pod`, {
            clusterName,
            namespace,
            serviceAccount: spec.name,
            roleArn: this.podRole.arn,
            tags: args.tags,
        }, parent);

        this.provider = new k8s.Provider(`${name}-k8s`, {
            kubeconfig: this.cluster.kubeconfigJson,
            // Lets `pulumi destroy` forget objects of a cluster already gone.
            deleteUnreachable: true,
        }, parent);
        const k8sOpts = { parent: this, provider: this.provider };

        const ns = new k8s.core.v1.Namespace(`${name}-namespace`, {
            metadata: {
                name: namespace,
                labels: {
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                },
            },
        }, { ...k8sOpts, dependsOn: [this.nodeGroup] });

        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
            metadata: { name: spec.name, namespace: ns.metadata.name, labels },
            automountServiceAccountToken: false,
        }, k8sOpts);

        this.service = new k8s.core.v1.Service(`${name}-service`, {
            metadata: { name: spec.name, namespace: ns.metadata.name, labels },
            spec: {
                type: "NodePort",
                selector: labels,
                // Cluster: every node answers on the NodePort and forwards to a
                // ready pod, so every registered instance is a healthy target.
                externalTrafficPolicy: "Cluster",
                ports: [{ name: "service", protocol: "TCP", port: spec.port, targetPort: spec.port, nodePort: this.nodePort }],
            },
        }, { ...k8sOpts, dependsOn: [this.nodeGroup] });

        // While the image is pending there is no Deployment (nor its autoscaler):
        // the provider awaits a Deployment's rollout (up to 10 minutes) and fails
        // `up` while its image cannot be pulled, and a Deployment created with 0
        // replicas would keep them (spec.replicas is left to the autoscaler), and
        // an autoscaler does not scale a target at 0. Releasing the tag creates
        // both, with the catalog's minimum.
        if (runsWorkload(spec)) {
            const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, {
                metadata: { name: spec.name, namespace: ns.metadata.name, labels },
                spec: {
                    replicas: spec.scaling.min,
                    selector: { matchLabels: labels },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                    template: {
                        metadata: { labels },
                        spec: {
                            serviceAccountName: serviceAccount.metadata.name,
                            // The application does not call the Kubernetes API; the
                            // Pod Identity webhook mounts its own token for AWS.
                            automountServiceAccountToken: false,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: 10001,
                                runAsGroup: 10001,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            topologySpreadConstraints: [{
                                maxSkew: 1,
                                topologyKey: "topology.kubernetes.io/zone",
                                whenUnsatisfiable: "ScheduleAnyway",
                                labelSelector: { matchLabels: labels },
                            }],
                            containers: [{
                                name: spec.name,
                                image,
                                ports: [{ name: "service", containerPort: spec.port, protocol: "TCP" }],
                                env: containerEnv(args.environment),
                                resources: podResources(spec),
                                securityContext: {
                                    allowPrivilegeEscalation: false,
                                    privileged: false,
                                    readOnlyRootFilesystem: true,
                                    capabilities: { drop: ["ALL"] },
                                },
                                readinessProbe: { tcpSocket: { port: spec.port }, periodSeconds: 10 },
                                livenessProbe: { tcpSocket: { port: spec.port }, initialDelaySeconds: 15, periodSeconds: 20 },
                                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                            }],
                            volumes: [{ name: "tmp", emptyDir: {} }],
                        },
                    },
                },
            }, { ...k8sOpts, dependsOn: [podIdentity, ...addons], ignoreChanges: ["spec.replicas"] });
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, {
                metadata: { name: spec.name, namespace: ns.metadata.name, labels },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                    minReplicas: spec.scaling.min,
                    maxReplicas: spec.scaling.max,
                    metrics: [{
                        type: "Resource",
                        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: spec.scaling.cpuTarget } },
                    }],
                },
            }, k8sOpts);
            this.deployment = deployment;
        }

        this.pullRoleArn = this.nodeRole.arn;
        this.registerOutputs({
            clusterName,
            clusterArn,
            nodeGroupArn: this.nodeGroup.arn,
            podRoleArn: this.podRole.arn,
            nodePort: this.nodePort,
        });
    }

    /** Cluster access only through IAM access entries: admins and viewers from the platform settings. */
    private accessEntries(name: string, args: EksServiceArgs, clusterName: pulumi.Input<string>, eksPlatform: EksPlatformSpec): void {
        const grants: { principal: string; kind: keyof typeof ACCESS_POLICY }[] = [
            ...eksPlatform.adminRoleArns.map(principal => ({ principal, kind: "admin" as const })),
            ...eksPlatform.viewRoleArns.map(principal => ({ principal, kind: "view" as const })),
        ];
        for (const { principal, kind } of grants) {
            const policy = ACCESS_POLICY[kind];
            const id = `${kind}-${accessEntryName(principal)}`;
            const entry = new aws.eks.AccessEntry(`${name}-access-${id}`, {
                clusterName,
                principalArn: principal,
                type: "STANDARD",
                tags: args.tags,
            }, { parent: this });
            new aws.eks.AccessPolicyAssociation(`${name}-access-${id}`, {
                clusterName,
                principalArn: entry.principalArn,
                policyArn: pulumi.interpolate`arn:${args.account.partition}:eks::aws:cluster-access-policy/${policy}`,
                accessScope: { type: "cluster" },
            }, { parent: this });
        }
    }
}

/**
 * A resource name for a principal's access entry, from its ARN (never a list
 * position): `arn:aws:iam::123456789012:role/ops/admin` → `123456789012-role-ops-admin`.
 */
export function accessEntryName(principalArn: string): string {
    const m = /^arn:[^:]+:iam::(\d{12}):(.+)$/.exec(principalArn);
    const tail = m ? `${m[1]}-${m[2]}` : principalArn;
    return tail.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "").toLowerCase();
}
