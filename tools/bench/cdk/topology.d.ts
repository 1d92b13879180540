/** Types of topology.js (plain JavaScript, so the measured CDK process needs no TypeScript loader). */

/** What the peer CDK app builds for one Fargate service of the catalog. */
export interface PeerService {
    name: string;
    port: number;
    /** Tags on every resource of the service: the platform's, the stack's and the service's. */
    tags: Record<string, string>;
    /** An isolated VPC: one private isolated subnet per zone, no IGW, no NAT, flow logs to an encrypted log group. */
    vpc: { cidr: string; zones: number; subnetMask: number; flowLogRetentionDays: number };
    /** AWS-service endpoints, each with the account-only endpoint policy when `policy`. */
    awsEndpoints: { service: string; type: "Interface" | "Gateway"; policy: boolean }[];
    /** The workload's group: its port from the VPC; egress to the VPC on these ports. */
    workloadSecurityGroup: { ingressPorts: number[]; egressPortsToVpc: number[] };
    repository: { name: string; scanOnPush: boolean; immutableTags: boolean; kms: boolean; untaggedExpiryDays: number; keepImages: number };
    /** The pushed tag the task runs. */
    image: string;
    /** Internal NLB, a TCP listener on `port`, a target group of `targetType` targets. */
    loadBalancer: { internal: boolean; crossZone: boolean; port: number; targetType: "ip"; deregistrationDelaySeconds: number };
    endpointService: { acceptanceRequired: boolean; allowsOwnAccount: boolean; connectionEvents: string[] };
    task: { family: string; cpu: number; memory: number; logRetentionDays: number; environment: Record<string, string> };
    fargateService: { assignPublicIp: boolean; desiredCount: number };
    scaling: { min: number; max: number; cpuTarget: number; scaleInCooldownSeconds: number; scaleOutCooldownSeconds: number };
    /**
     * One interface endpoint (and its security group) in this service's VPC
     * per consumed service; the task gets its URL in `variable`.
     */
    consumes: { provider: string; port: number; variable: string }[];
}

/** How the peer builds one AWS resource type of our plan, or (cfn: null) what it builds instead or why not. */
export interface PeerResourceType {
    /** Our Pulumi type token. */
    pulumi: string;
    /** The CDK construct, or what differs. */
    cdk: string;
    /** The CloudFormation type the peer synthesises exactly as many of as our plan declares; null where the counts differ. */
    cfn: string | null;
}

export function peerTopology(config: Record<string, unknown>, stack: string): PeerService[];
export function stackTags(config: Record<string, unknown>, stack: string): Record<string, string>;
export function cloudFormationCounts(services: PeerService[]): Record<string, number>;
export const RESOURCE_TYPES: readonly PeerResourceType[];
