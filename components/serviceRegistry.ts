import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { ImageSpec, PENDING_IMAGE } from "./catalog";

export { repositoryNameOf } from "./catalog";
import { policyDocument } from "./shared";
import type { ServicePullPrincipal } from "./workload";

export interface ServiceRegistryArgs {
    service: string;
    /** Repository name, e.g. `dev/orders`: unique per environment and account. */
    repositoryName: string;
    /** A tag already pushed to the repository, a Docker build context, or `pending`; none for Lambda code from a directory. */
    image?: ImageSpec;
    kmsKeyArn: pulumi.Input<string>;
    /** Protect the repository and keep it (and its images) when the stack is destroyed. */
    protect: boolean;
    /** Untagged images older than this are expired; the newest `keepImages` tagged ones are kept. */
    untaggedExpiryDays?: number;
    keepImages?: number;
    tags: Record<string, string>;
}

/**
 * The service's own ECR repository: scan on push, immutable tags, KMS
 * encryption, a lifecycle policy, and a repository policy that lets only the
 * service's pulling role read it (see `grantPull`).
 */
export class ServiceRegistry extends pulumi.ComponentResource {
    public readonly repository: aws.ecr.Repository;
    /**
     * The image the workload runs: `<repositoryUrl>:<tag>`, or the digest of
     * the image built from the context. While the image is pending,
     * `<repositoryUrl>:pending`, a reference no runtime pulls (ECS keeps zero
     * tasks, EKS and Lambda create no workload).
     */
    public readonly imageUri: pulumi.Output<string> | undefined;
    private readonly name: string;
    private pullGranted = false;

    constructor(name: string, args: ServiceRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:registry:ServiceRegistry", name, {}, opts);
        this.name = name;
        const parent = { parent: this };

        this.repository = new aws.ecr.Repository(`${name}-repo`, {
            name: args.repositoryName,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
            forceDelete: false,
            tags: args.tags,
        }, { parent: this, protect: args.protect, retainOnDelete: args.protect });

        new aws.ecr.LifecyclePolicy(`${name}-lifecycle`, {
            repository: this.repository.name,
            policy: JSON.stringify(lifecycleRules(args.untaggedExpiryDays ?? 14, args.keepImages ?? 50)),
        }, parent);

        if (args.image === undefined) {
            this.imageUri = undefined;
        } else if (args.image === PENDING_IMAGE) {
            this.imageUri = pulumi.interpolate`${this.repository.repositoryUrl}:${PENDING_IMAGE}`;
        } else if (typeof args.image === "string") {
            // The tag must already be in the repository: a workload created with an
            // image that cannot be pulled is a dead end (see verifyPushed).
            const pushed = verifyPushed(args.service, args.repositoryName, args.image, this);
            this.imageUri = pulumi.all([this.repository.repositoryUrl, pushed])
                .apply(([url]) => `${url}:${args.image as string}`);
        } else {
            const built = new awsx.ecr.Image(`${name}-image`, {
                repositoryUrl: this.repository.repositoryUrl,
                context: args.image.context,
                dockerfile: args.image.dockerfile,
                platform: args.image.platform ?? "linux/amd64",
            }, parent);
            this.imageUri = built.imageUri;
        }

        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl, imageUri: this.imageUri });
    }

    /**
     * Lets exactly this role pull images (the task execution role, the node
     * role or the function role, by runtime), and the AWS service that pulls
     * on the workload's behalf, if any (Lambda for image functions), only for
     * that workload. Call it once: the repository policy names its readers.
     */
    public grantPull(roleArn: pulumi.Input<string>, onBehalf?: ServicePullPrincipal): aws.ecr.RepositoryPolicy {
        if (this.pullGranted) {
            throw new Error(`ServiceRegistry ${this.name}: grantPull was already called; the repository has one reader`);
        }
        this.pullGranted = true;
        return new aws.ecr.RepositoryPolicy(`${this.name}-pull`, {
            repository: this.repository.name,
            policy: policyDocument([
                {
                    Sid: "ServicePull",
                    Effect: "Allow",
                    Principal: { AWS: roleArn },
                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                },
                ...(onBehalf
                    ? [{
                        Sid: "ServicePullOnBehalf",
                        Effect: "Allow" as const,
                        Principal: { Service: onBehalf.service },
                        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                        Condition: { StringLike: { "aws:sourceArn": onBehalf.sourceArn } },
                    }]
                    : []),
            ]),
        }, { parent: this });
    }
}

/**
 * Looks the tag up in the repository (ecr:DescribeImages, through the
 * aws.ecr.getImage data source) before any workload is declared with it, in
 * `pulumi preview` as in `up`. A missing repository or tag is refused with
 * what to do instead: a tag set before it is pushed would make ECS's first
 * deployment fail for good (the circuit breaker stops launching tasks and
 * nothing in a later `up` restarts them), make EKS's rollout await time out
 * after 10 minutes, and make Lambda's CreateFunction fail.
 */
export function verifyPushed(service: string, repositoryName: string, tag: string, parent: pulumi.Resource): pulumi.Output<string> {
    return pulumi.output(
        aws.ecr.getImage({ repositoryName, imageTag: tag }, { parent })
            .then(image => image.imageDigest, (err: unknown) => {
                throw new Error(unpushedImageMessage(service, repositoryName, tag, err));
            }),
    );
}

/**
 * The error for a tag that `aws.ecr.getImage` cannot find in a repository
 * that exists. The provider's text is the same for a missing repository and
 * a missing tag (`reading ECR Images: couldn't find resource`), so it is
 * shown as it came, never parsed; whether the repository exists is decided
 * before (components/preflight.ts `resolveFirstDeployments`).
 */
export function unpushedImageMessage(service: string, repositoryName: string, tag: string, err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    return `services "${service}".image: tag ${JSON.stringify(tag)} is not in repository ${repositoryName} (aws.ecr.getImage: ${text}): push it first ` +
        `(docker push <repositoryUrl>:${tag}), or set image: ${PENDING_IMAGE} until it is pushed`;
}

/** ECR lifecycle rules: expire untagged images after `days`, keep the newest `keep` images. */
export function lifecycleRules(days: number, keep: number): object {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${days} days`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: days },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the newest ${keep} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    };
}
