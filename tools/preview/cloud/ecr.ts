/**
 * Amazon ECR in the fake cloud: repositories (which live in the world: an
 * `up` creates them there), lifecycle and repository policies, and the two
 * reads the program makes, answered from the world's state.
 *
 * Sources (terraform-provider-aws v6, which @pulumi/aws 7.x bridges):
 * - `aws_ecr_repository`: id = name; `repository_url`
 *   `<registry id>.dkr.ecr.<region>.amazonaws.com/<name>`; `registry_id` the
 *   account (`internal/service/ecr/repository.go`, `resourceRepositoryRead`).
 *   Names are lowercase (CreateRepository `repositoryName` pattern).
 * - `aws_ecr_image` (`aws.ecr.getImage`), `internal/service/ecr/image_data_source.go`:
 *   DescribeImages for the tag; `findImageDetails` turns both
 *   `RepositoryNotFoundException` and `ImageNotFoundException` into
 *   `retry.NotFoundError`, and the read reports `reading ECR Images: %s`,
 *   so a missing repository and a missing tag both fail with
 *   `reading ECR Images: couldn't find resource` (terraform-plugin-sdk
 *   `helper/retry/error.go`, `NotFoundError.Error`). On success it then calls
 *   DescribeRepositories (`findRepository`) and sets id = digest,
 *   `image_uri` = `<repository uri>@<digest>`, `image_tags`,
 *   `image_pushed_at`, `image_size_in_bytes`, `registry_id`.
 * - `aws_ecr_repositories` (`aws.ecr.getRepositories`),
 *   `internal/service/ecr/repositories_data_source.go`: DescribeRepositories
 *   without names (the caller's registry, paginated) never fails for a
 *   missing repository; id = the Region, `names` = every repository's name
 *   (a set). ECR's DescribeRepositories without `repositoryNames` lists the
 *   registry's repositories (ECR API reference, DescribeRepositories).
 */
import { arn, Handler, InvokeCtx, Props, providerNotFound, ServiceModel, str } from "./common";

function getImage(c: InvokeCtx): Props {
    const repositoryName = str(c.inputs.repositoryName) ?? "";
    const registryId = str(c.inputs.registryId) ?? c.account;
    const tag = str(c.inputs.imageTag);
    const digestAsked = str(c.inputs.imageDigest);
    if (registryId !== c.account) {
        c.fallback(`registry ${registryId} is read as the caller's own`, "a lookup in another account's registry: the program makes none (each stack's repositories are in its own account)");
    }
    const repo = c.world.repositories.get(repositoryName);
    const image = repo?.images.find(i => (tag === undefined || i.tags.includes(tag)) && (digestAsked === undefined || i.digest === digestAsked));
    if (!repo || !image) throw providerNotFound("reading ECR Images");
    return {
        id: image.digest,
        imageDigest: image.digest,
        imagePushedAt: image.pushedAt,
        imageSizeInBytes: image.sizeInBytes,
        imageTag: tag,
        imageTags: [...image.tags],
        imageUri: `${registryId}.dkr.ecr.${c.region}.amazonaws.com/${repositoryName}@${image.digest}`,
        region: c.region,
        registryId,
        repositoryName,
    };
}

function getRepositories(c: InvokeCtx): Props {
    return { id: c.region, region: c.region, names: [...c.world.repositories.keys()].sort() };
}

const resources: Record<string, Handler> = {
    "aws:ecr/repository:Repository": c => {
        const name = c.autoname("name", { lower: true });
        // The repository exists once an `up` creates it (a preview changes nothing).
        if (c.applies) c.world.repositories.set(name, c.world.repositories.get(name) ?? { name, registryId: c.account, createdBy: c.urn, images: [] });
        return {
            id: name,
            checked: { name },
            computed: {
                arn: arn(c, "ecr", `repository/${name}`),
                registryId: c.account,
                repositoryUrl: `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${name}`,
            },
        };
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": c => ({ id: str(c.inputs.repository) ?? c.name, computed: { registryId: c.account } }),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": c => ({ id: str(c.inputs.repository) ?? c.name, computed: { registryId: c.account } }),
};

export const ECR: ServiceModel = {
    resources,
    invokes: {
        "aws:ecr/getImage:getImage": getImage,
        "aws:ecr/getRepositories:getRepositories": getRepositories,
    },
};
