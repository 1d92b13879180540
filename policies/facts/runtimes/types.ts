/**
 * The shape of one runtime's declaration on the pack's side: what AWS needs
 * for it (endpoints, start-up requests), what the program creates for it
 * (resource types with their parents), what it counts against and how the
 * pack recognises it. Plain data, no imports: the pack reads it, and the
 * program (components/runtimes/<runtime>/) builds what it declares.
 */

/** AWS-service endpoints, by the suffix after `com.amazonaws.<region>.`. */
export interface AwsServiceEndpoints {
    interface: readonly string[];
    gateway: readonly string[];
}

/** Who signs a start-up request, for the endpoint policy. */
export type Caller =
    /** The workload's own role (task execution role, node role, host role): an IAM principal of the stack's account. */
    | "workload"
    /**
     * A presigned URL handed out by ECR: S3 sees the request as made by an
     * ECR-owned principal in an AWS account, not by the workload.
     */
    | "ecr-service";

export interface StartupRequest {
    action: string;
    /** `{region}` and `{account}` are filled in. */
    resource: string;
    caller: Caller;
    /** The bucket or resource belongs to AWS (aws:ResourceAccount is not the stack's account). */
    awsOwnedResource?: boolean;
}

/** One AWS API a workload reaches over the network before it serves a single request. */
export interface StartupDependency {
    /** Endpoint service suffix after `com.amazonaws.<region>.`. */
    service: string;
    kind: "interface" | "gateway";
    /** What the workload does with it (shown in findings). */
    purpose: string;
    request: StartupRequest;
    source: string;
}

/** A resource type the runtime's component creates, and where it sits. */
export interface RuntimeType {
    type: string;
    /** The component type it is parented to; default: the runtime's own component. */
    parent?: string;
    /** What the type means for isolation, and the rules that check it. */
    isolation: string;
}

/** A child a remote component registers under the real engine (offline it is one resource). */
export interface RemoteChild {
    type: string;
    /** The component type it is registered under (its parent). */
    parent: string;
    /** Where the package's source creates it: path@tag:line in the cited repository. */
    source: string;
    /** When it is created, if not always. */
    condition?: string;
    /** Whether the platform's arguments create it. */
    created: boolean;
    /** What it means for isolation (for a child the platform's arguments create). */
    isolation?: string;
}

/**
 * A resource that shows which runtime runs in a VPC: its type, and for an
 * ECS service the capacity its tasks run on (`FARGATE` or `EC2`, as AWS
 * resolves the launch type and capacity provider strategy).
 */
export interface WorkloadMark {
    type: string;
    ecsCapacity?: "FARGATE" | "EC2";
}

/** An AWS service quota the runtime's resources count against, and which resource type is counted. */
export interface QuotaUse {
    /** Quota code in policies/facts/quota-data.ts. */
    code: string;
    counts: string;
}

export interface RuntimeFacts<N extends string = string> {
    /** The catalog's `runtime` value. */
    name: N;
    /** How pictures and reports name it. */
    label: string;
    /** The runtime component's type token: every resource of the runtime sits below it. */
    component: string;
    /** The AWS-service endpoints its VPC needs without internet gateway or NAT (the program creates exactly these). */
    endpoints: AwsServiceEndpoints;
    /** What its workload reaches at start-up (the reachability model checks each from the workload's ENIs). */
    startup: readonly StartupDependency[];
    /** When `startup` is empty: why nothing is needed, with its source. */
    startupNone?: string;
    /**
     * The resource type whose network interfaces make the start-up requests
     * (the ECS hosts' Auto Scaling group, the EKS node group); default: the
     * workload's own (tasks, functions).
     */
    startupFrom?: string;
    /** Its nodes also reach their cluster's API server at start-up. */
    reachesApiServer?: boolean;
    /** The resource types its component creates, each with its parent. */
    types: readonly RuntimeType[];
    /** Children the real engine shows for remote components among `types`, derived from the packages' sources. */
    remoteChildren?: readonly RemoteChild[];
    /** Resources that show this runtime runs in a VPC (vpc-required-aws-endpoints, reachability). */
    workloads: readonly WorkloadMark[];
    /** The quotas its resources count against (policies/lib/quotas.ts counts them). */
    quotas: readonly QuotaUse[];
    /** A zone id in which the runtime cannot be placed, and why (source included); undefined where it can. */
    refusesZone?: (zoneId: string) => string | undefined;
}
