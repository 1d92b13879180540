import * as aws from "@pulumi/aws";
import type * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imagePending, ServiceSpec } from "../../catalog";
import { serviceTrustPolicy } from "../../shared";
import type { WorkloadArgs } from "../../workload";
import { requireImage } from "../ecs";

/** The application's AWS identity through EKS Pod Identity. */
export interface PodIdentity {
    podRole: aws.iam.Role;
    association: aws.eks.PodIdentityAssociation;
}

/** The service's Kubernetes objects in its own cluster. */
export interface KubernetesWorkload {
    provider: k8s.Provider;
    service: k8s.core.v1.Service;
    /** None while the image is pending (see `runsWorkload`). */
    deployment?: k8s.apps.v1.Deployment;
}

/**
 * Whether the service's Kubernetes workload (Deployment and autoscaler) is
 * declared: not while its image is pending.
 */
export function runsWorkload(spec: ServiceSpec): boolean {
    return !imagePending(spec);
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

/** The application's AWS identity: a role (starting with no permissions) for the service account, through Pod Identity. */
export function createPodIdentity(name: string, args: WorkloadArgs, clusterName: pulumi.Input<string>, clusterArn: pulumi.Input<string>, parent: pulumi.Resource): PodIdentity {
    const { spec } = args;
    const podRole = new aws.iam.Role(`${name}-pod`, {
        description: `Application role of ${spec.name} (EKS Pod Identity); grant it only what the code calls`,
        assumeRolePolicy: serviceTrustPolicy("pods.eks.amazonaws.com", args.account, clusterArn, ["sts:AssumeRole", "sts:TagSession"]),
        tags: args.tags,
    }, { parent });
    const association = new aws.eks.PodIdentityAssociation(`${name}-pod`, {
        clusterName,
        namespace: spec.name,
        serviceAccount: spec.name,
        roleArn: podRole.arn,
        tags: args.tags,
    }, { parent });
    return { podRole, association };
}

/**
 * The workload in the service's own cluster: a restricted namespace, a
 * service account without a token, a NodePort Service on `nodePort`, and
 * (once the image is released) a Deployment and its CPU autoscaler.
 */
export function createKubernetesWorkload(
    name: string,
    args: WorkloadArgs,
    cluster: eks.Cluster,
    nodePort: number,
    after: { nodeGroup: pulumi.Resource; podIdentity: pulumi.Resource; addons: pulumi.Resource[] },
    parent: pulumi.Resource,
): KubernetesWorkload {
    const { spec } = args;
    const image = requireImage(args);
    const namespace = spec.name;
    const labels = { app: spec.name };

    const provider = new k8s.Provider(`${name}-k8s`, {
        kubeconfig: cluster.kubeconfigJson,
        // Lets `pulumi destroy` forget objects of a cluster already gone.
        deleteUnreachable: true,
    }, { parent });
    const k8sOpts = { parent, provider };

    const ns = new k8s.core.v1.Namespace(`${name}-namespace`, {
        metadata: {
            name: namespace,
            labels: {
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
            },
        },
    }, { ...k8sOpts, dependsOn: [after.nodeGroup] });

    const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
        metadata: { name: spec.name, namespace: ns.metadata.name, labels },
        automountServiceAccountToken: false,
    }, k8sOpts);

    const service = new k8s.core.v1.Service(`${name}-service`, {
        metadata: { name: spec.name, namespace: ns.metadata.name, labels },
        spec: {
            type: "NodePort",
            selector: labels,
            // Cluster: every node answers on the NodePort and forwards to a
            // ready pod, so every registered instance is a healthy target.
            externalTrafficPolicy: "Cluster",
            ports: [{ name: "service", protocol: "TCP", port: spec.port, targetPort: spec.port, nodePort }],
        },
    }, { ...k8sOpts, dependsOn: [after.nodeGroup] });

    // While the image is pending there is no Deployment (nor its autoscaler):
    // the provider awaits a Deployment's rollout (up to 10 minutes) and fails
    // `up` while its image cannot be pulled, and a Deployment created with 0
    // replicas would keep them (spec.replicas is left to the autoscaler), and
    // an autoscaler does not scale a target at 0. Releasing the tag creates
    // both, with the catalog's minimum.
    if (!runsWorkload(spec)) {
        return { provider, service };
    }
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
    }, { ...k8sOpts, dependsOn: [after.podIdentity, ...after.addons], ignoreChanges: ["spec.replicas"] });
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
    return { provider, service, deployment };
}
