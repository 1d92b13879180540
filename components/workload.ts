import * as pulumi from "@pulumi/pulumi";
import type { PlatformSpec, ServiceSpec } from "./catalog";
import type { PrivateLinkService } from "./privateLinkService";
import type { AccountContext } from "./shared";
import type { ResolvedSecret } from "./serviceAccess";
import type * as aws from "@pulumi/aws";

/**
 * What every runtime component receives: the service, its isolated network,
 * its PrivateLink provider (whose target group the workload registers with),
 * its image and the environment that carries the URLs of the services it
 * consumes. Runtimes differ only in what they build inside the VPC.
 */
export interface WorkloadArgs {
    spec: ServiceSpec;
    platform: PlatformSpec;
    /**
     * The environment (the stack name in single-stack mode): scopes names that
     * must be unique in an account. Never the stack: a service keeps its
     * physical names when it moves to another shard's stack (docs/scale.md).
     */
    environmentName: string;
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    subnetIds: pulumi.Input<string>[];
    /** The workload's security group from IsolatedVpc: its port from the VPC, egress to endpoints only. */
    securityGroupId: pulumi.Input<string>;
    /** The provider side of the mesh; register the workload with `link.targetGroup`. */
    link: PrivateLinkService;
    /** The image to run, when the runtime runs one (undefined for Lambda code from a directory). */
    imageUri?: pulumi.Input<string>;
    repositoryArn: pulumi.Input<string>;
    /** Plain environment variables, including `<PROVIDER>_URL` for every consumed service. */
    environment: Record<string, pulumi.Input<string>>;
    /**
     * The service's secrets (catalog `secrets`), for a runtime that injects
     * them itself (its declaration's `secrets: "container"`: ECS reads them
     * with the execution role at task start). Other runtimes get `<NAME>_ARN`
     * in `environment` and read them at run time with `appRole`.
     */
    secrets?: ResolvedSecret[];
    kmsKeyArn: pulumi.Input<string>;
    account: AccountContext;
    tags: Record<string, string>;
}

/** What the platform needs back from a runtime component. */
export interface Workload extends pulumi.ComponentResource {
    /** The one role allowed to pull the service's images (repository policy principal). */
    readonly pullRoleArn: pulumi.Output<string>;
    /** The application's identity (ECS task role, the function's role, the pod's role): what the catalog's grants go to. */
    readonly appRole: aws.iam.Role;
    /** The function triggers invoke (a runtime whose declaration has `triggers`); none while its image is pending. */
    readonly invokable?: aws.lambda.Function;
    /**
     * An AWS service that pulls the images itself on the workload's behalf,
     * limited to the workload's source ARN: Lambda reads a function's image
     * as lambda.amazonaws.com, not with the function's role.
     */
    readonly pullServicePrincipal?: ServicePullPrincipal;
}

/** A service principal allowed to pull, only for requests made for `sourceArn`. */
export interface ServicePullPrincipal {
    service: string;
    sourceArn: pulumi.Input<string>;
}
