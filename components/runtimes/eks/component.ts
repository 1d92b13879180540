import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Workload, WorkloadArgs } from "../../workload";
import { requireImage } from "../ecs";
import { clusterNameOf, createAccessEntries, createControlPlane } from "./control-plane";
import { createKubernetesWorkload, createPodIdentity } from "./kubernetes";
import { createNodeAddons, createNodeIdentity, createNodes, nodeInstanceTypes } from "./nodes";

export type EksServiceArgs = WorkloadArgs;

/** What an EKS service is made of. */
export interface EksCore {
    cluster: eks.Cluster;
    clusterName: string;
    nodeRole: aws.iam.Role;
    nodeGroup: aws.eks.NodeGroup;
    nodePort: number;
    podRole: aws.iam.Role;
    provider: k8s.Provider;
    service: k8s.core.v1.Service;
    deployment?: k8s.apps.v1.Deployment;
}

/**
 * One EKS cluster per microservice, in the service's isolated VPC:
 *
 * - the control plane (`eks.Cluster`, control-plane.ts): private API endpoint
 *   (public only to listed CIDRs), access entries only, every control-plane
 *   log to a retained, encrypted log group, secrets encrypted with the
 *   platform key;
 * - a managed node group in the private subnets (nodes.ts), from a launch
 *   template that requires IMDSv2 with hop limit 1 and encrypts its volumes;
 * - the workload as a Deployment behind a NodePort Service (kubernetes.ts),
 *   exposed through the PrivateLink NLB's `instance` target group, to which
 *   the node group's Auto Scaling group is attached;
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
    public readonly appRole: aws.iam.Role;

    constructor(name: string, args: EksServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:runtime:EksService", name, {}, opts);
        const core = createEksService(name, args, this);
        this.cluster = core.cluster;
        this.clusterName = core.clusterName;
        this.nodeRole = core.nodeRole;
        this.nodeGroup = core.nodeGroup;
        this.podRole = core.podRole;
        this.provider = core.provider;
        this.deployment = core.deployment;
        this.service = core.service;
        this.nodePort = core.nodePort;
        // The nodes' role is the one that pulls the service's images.
        this.pullRoleArn = core.nodeRole.arn;
        this.appRole = core.podRole;
        this.registerOutputs({
            clusterName: this.cluster.eksCluster.name,
            clusterArn: this.cluster.eksCluster.arn,
            nodeGroupArn: this.nodeGroup.arn,
            podRoleArn: this.podRole.arn,
            nodePort: this.nodePort,
        });
    }
}

/** The control plane and its access, the nodes, their add-ons, the pod identity and the Kubernetes workload, in that order. */
export function createEksService(name: string, args: EksServiceArgs, parent: pulumi.Resource): EksCore {
    // Refused before anything is created.
    nodeInstanceTypes(args.spec);
    requireImage(args);

    const cluster = createControlPlane(name, args, parent);
    const clusterName = cluster.eksCluster.name;
    createAccessEntries(name, args, clusterName, parent);

    const identity = createNodeIdentity(name, args, parent);
    const { nodeGroup, nodePort } = createNodes(name, args, cluster, identity, parent);
    const addons = createNodeAddons(name, args, clusterName, nodeGroup, parent);

    const pod = createPodIdentity(name, args, clusterName, cluster.eksCluster.arn, parent);
    const workload = createKubernetesWorkload(name, args, cluster, nodePort, { nodeGroup, podIdentity: pod.association, addons }, parent);

    return {
        cluster,
        clusterName: clusterNameOf(args),
        nodeRole: identity.nodeRole,
        nodeGroup,
        nodePort,
        podRole: pod.podRole,
        ...workload,
    };
}
