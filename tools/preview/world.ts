/**
 * The offline world: what exists in the fake AWS accounts, independent of
 * any one plan. A plan (`runPreview({ world })`) reads it through the fake
 * cloud, and an `up` plan writes what the stack creates back into it, so a
 * sequence of plans (a lifecycle) starts each from the state the previous
 * one left. See docs/offline-world.md.
 *
 * What is modelled, per account and region:
 * - ECR repositories and their images (tags -> digest). A repository is
 *   created by an `up` that declares an `aws.ecr.Repository`, or by a test;
 *   an image only by `pushImage` (what `docker push` does).
 * - SSM parameters the stack itself creates (`aws.ssm.Parameter`) or a test
 *   puts. AWS's public parameters (`/aws/service/...`) are not account state:
 *   tools/preview/cloud/ssm.ts answers the documented ones.
 * - The resources each `up` created, by URN (type, id), and each stack's
 *   outputs after its last `up` (what a `StackReference` to it could read).
 *
 * A fresh account (`World.fresh()`) has none of it. Nothing here is derived
 * from a name: a repository exists because something created it.
 */
import { availabilityZones } from "./cloud/zones";
import { createHash } from "crypto";
// The repository naming and the pending marker are the program's, declared once (plain modules, no SDK).
import { repositoryNameOf } from "../../components/catalog/names";
import { PENDING_IMAGE } from "../../components/catalog/schema";

export interface ImageState {
    digest: string;
    tags: string[];
    /** Seconds since the epoch (ECR `imagePushedAt`); a counter, for a deterministic world. */
    pushedAt: number;
    sizeInBytes: number;
}

export interface RepositoryState {
    name: string;
    /** The registry: the account id (ECR `registryId`). */
    registryId: string;
    /** The URN of the resource that created it, when a stack did. */
    createdBy?: string;
    images: ImageState[];
}

export interface ParameterState {
    name: string;
    value: string;
    type: "String" | "StringList" | "SecureString";
    version: number;
    dataType: string;
    createdBy?: string;
}

/** One account's state in one region. */
export interface AccountWorld {
    account: string;
    region: string;
    repositories: Map<string, RepositoryState>;
    parameters: Map<string, ParameterState>;
    /** URN -> what an `up` created. */
    resources: Map<string, { type: string; id: string }>;
    /**
     * Endpoint services of other accounts offered to this account here, by
     * service name, with the zone ids they are available in (the provider's
     * load balancers' zones: PrivateLink guide, "Create an endpoint service").
     */
    offeredEndpointServices: Map<string, { zoneIds: string[] }>;
}

/** Where a thing lives: an account and a region. */
export interface Where {
    account: string;
    region: string;
}

/** An image to push: `docker push <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`. */
export interface ImagePush extends Where {
    repository: string;
    tag: string;
}

/** The error `docker push` gets from ECR for a repository that does not exist (ECR API: RepositoryNotFoundException on InitiateLayerUpload / PutImage). */
export class RepositoryNotFoundError extends Error {
    constructor(push: ImagePush) {
        super(`name unknown: The repository with name '${push.repository}' does not exist in the registry with id '${push.account}'`);
        this.name = "RepositoryNotFoundError";
    }
}

const EPOCH = 1_767_225_600; // 2026-01-01T00:00:00Z

export class World {
    private readonly places = new Map<string, AccountWorld>();
    /**
     * The backend's stacks: fully qualified stack name -> its outputs (wire
     * form) after its last `up`, `{}` for a stack that exists but was never
     * deployed. A stack absent here does not exist (a StackReference to it
     * fails, as the engine's does: tools/preview/cloud.ts stackReferenceState).
     */
    readonly stacks = new Map<string, Record<string, unknown>>();
    private pushes = 0;

    /** A world with no account state at all: every account is fresh. */
    static fresh(): World {
        return new World();
    }

    /** The state of one account in one region (empty until something is created there). */
    at(where: Where): AccountWorld {
        const key = `${where.account}/${where.region}`;
        let place = this.places.get(key);
        if (!place) {
            place = { account: where.account, region: where.region, repositories: new Map(), parameters: new Map(), resources: new Map(), offeredEndpointServices: new Map() };
            this.places.set(key, place);
        }
        return place;
    }

    /**
     * Another account's endpoint service becomes available to this account in
     * the given zones (what its provider does by admitting the account and
     * placing its load balancers there).
     */
    offerEndpointService(where: Where, serviceName: string, zoneIds: string[]): void {
        this.at(where).offeredEndpointServices.set(serviceName, { zoneIds: [...zoneIds] });
    }

    /** Creates an ECR repository (what `aws.ecr.Repository` does on `up`); keeps an existing one. */
    createRepository(where: Where, name: string, createdBy?: string): RepositoryState {
        const place = this.at(where);
        let repo = place.repositories.get(name);
        if (!repo) {
            repo = { name, registryId: where.account, createdBy, images: [] };
            place.repositories.set(name, repo);
        }
        return repo;
    }

    /**
     * Pushes an image: the tag moves to a new digest (ECR moves a mutable tag
     * on push). Fails as `docker push` does when the repository does not
     * exist. Returns the digest.
     */
    pushImage(push: ImagePush): string {
        const repo = this.at(push).repositories.get(push.repository);
        if (!repo) throw new RepositoryNotFoundError(push);
        this.pushes += 1;
        const digest = `sha256:${createHash("sha256").update(`${push.account}|${push.region}|${push.repository}|${push.tag}|${this.pushes}`).digest("hex")}`;
        for (const image of repo.images) image.tags = image.tags.filter(t => t !== push.tag);
        repo.images.push({ digest, tags: [push.tag], pushedAt: EPOCH + this.pushes, sizeInBytes: 52_428_800 });
        return digest;
    }

    /** The image a tag names in a repository, if both exist. */
    findImage(where: Where, repository: string, tag: string): ImageState | undefined {
        return this.at(where).repositories.get(repository)?.images.find(i => i.tags.includes(tag));
    }

    /** Puts an SSM parameter (a new version when it exists). */
    putParameter(where: Where, p: Omit<ParameterState, "version" | "dataType"> & { dataType?: string }): ParameterState {
        const place = this.at(where);
        const previous = place.parameters.get(p.name);
        const param: ParameterState = { dataType: "text", ...p, version: (previous?.version ?? 0) + 1 };
        place.parameters.set(p.name, param);
        return param;
    }

    /** Every place with any state, sorted. */
    allPlaces(): AccountWorld[] {
        return [...this.places.values()].sort((a, b) => `${a.account}/${a.region}`.localeCompare(`${b.account}/${b.region}`));
    }

    /** A deep copy: the state a plan starts from, which the plan may then change. */
    clone(): World {
        const copy = new World();
        copy.pushes = this.pushes;
        for (const [k, v] of this.stacks) copy.stacks.set(k, v);
        for (const place of this.allPlaces()) {
            const to = copy.at(place);
            for (const [name, repo] of place.repositories) {
                to.repositories.set(name, { ...repo, images: repo.images.map(i => ({ ...i, tags: [...i.tags] })) });
            }
            for (const [name, p] of place.parameters) to.parameters.set(name, { ...p });
            for (const [urn, r] of place.resources) to.resources.set(urn, { ...r });
            for (const [name, o] of place.offeredEndpointServices) to.offeredEndpointServices.set(name, { zoneIds: [...o.zoneIds] });
        }
        return copy;
    }

    /** The world as JSON (`--json`): per account and region, repositories with their tags, parameter names, resource count. */
    toJSON(): unknown {
        return this.allPlaces().map(p => ({
            account: p.account,
            region: p.region,
            repositories: Object.fromEntries([...p.repositories.values()].map(r => [r.name, r.images.flatMap(i => i.tags)])),
            parameters: [...p.parameters.keys()].sort(),
            resources: p.resources.size,
        }));
    }

    /** One line per account and region: what the plan's text shows of the world it started from. */
    describe(): string[] {
        const lines: string[] = [];
        for (const p of this.allPlaces()) {
            const repos = [...p.repositories.values()];
            const images = repos.reduce((n, r) => n + r.images.length, 0);
            if (repos.length + p.parameters.size + p.resources.size === 0) continue;
            lines.push(`${p.account} ${p.region}: ${repos.length} ECR ${repos.length === 1 ? "repository" : "repositories"} (${images} ${images === 1 ? "image" : "images"}), ${p.parameters.size} SSM parameter(s), ${p.resources.size} resource(s) created by earlier runs`);
        }
        return lines;
    }
}

/** An ECR image the stack's catalog names: a service whose `image` is a tag (not `pending`, not a build). */
export interface CatalogImage {
    service: string;
    repository: string;
    tag: string;
}

function parsed(v: string | undefined): unknown {
    if (v === undefined) return undefined;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}

/**
 * The images a stack's catalog names, read from its program configuration
 * (`<project>:services`, `<project>:environment`, as `pulumi config` holds
 * them): each tagged service's tag in its repository `<environment>/<service>`
 * (components/catalog/names.ts `repositoryNameOf`). A value the catalog
 * would refuse is skipped: the program reports it.
 */
export function catalogImages(config: Record<string, string>, project: string, stack: string): CatalogImage[] {
    const services = parsed(config[`${project}:services`]);
    const environment = config[`${project}:environment`] ?? stack;
    if (!Array.isArray(services)) return [];
    return services.flatMap(s => {
        const spec = s as { name?: unknown; image?: unknown };
        if (typeof spec.name !== "string" || typeof spec.image !== "string" || spec.image === PENDING_IMAGE) return [];
        return [{ service: spec.name, repository: repositoryNameOf(environment, spec.name), tag: spec.image }];
    });
}

/** The accounts a stack's configuration deploys to: the given one, and each shard's own (`<project>:shards[].account`). */
export function catalogAccounts(config: Record<string, string>, project: string, account: string): string[] {
    const shards = parsed(config[`${project}:shards`]);
    const own = Array.isArray(shards)
        ? shards.map(s => (s as { account?: unknown }).account).filter((a): a is string => typeof a === "string" && /^\d{12}$/.test(a))
        : [];
    return [...new Set([account, ...own])];
}

/**
 * The world the offline plan assumes unless told otherwise: the account
 * after the README's first deploy ("Deploying for real": the first `up`
 * creates the repositories, then the images are pushed), i.e. in each
 * account the stack deploys to, every repository of a tagged service exists
 * and holds that tag. State set explicitly from the catalog's intent, shown
 * in the plan; `--fresh-account` plans against `World.fresh()` instead.
 */
export function catalogReleaseWorld(config: Record<string, string>, opts: { project: string; stack: string; account: string; region: string }): World {
    const world = World.fresh();
    for (const account of catalogAccounts(config, opts.project, opts.account)) {
        for (const image of catalogImages(config, opts.project, opts.stack)) {
            world.createRepository({ account, region: opts.region }, image.repository);
            world.pushImage({ account, region: opts.region, repository: image.repository, tag: image.tag });
        }
        // The catalog's external services, as their providers offer them once
        // they admitted the account (docs/saas.md): in every zone of the Region,
        // which nothing in the catalog says otherwise; a world built by hand
        // offers them in fewer zones.
        for (const serviceName of catalogExternalServices(config, opts.project)) {
            world.offerEndpointService({ account, region: opts.region }, serviceName, availabilityZones(opts.region).zoneIds);
        }
    }
    return world;
}

/** The endpoint service names the catalog's services declare in `external`. */
export function catalogExternalServices(config: Record<string, string>, project: string): string[] {
    const services = parsed(config[`${project}:services`]);
    const out = new Set<string>();
    for (const s of Array.isArray(services) ? services : []) {
        const list = (s as { external?: unknown }).external;
        for (const e of Array.isArray(list) ? list : []) {
            const name = (e as { serviceName?: unknown }).serviceName;
            if (typeof name === "string") out.add(name);
        }
    }
    return [...out].sort();
}
