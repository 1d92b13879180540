/**
 * Lifecycles: a sequence of offline runs of the program, each starting from
 * the world the previous one left (docs/offline-world.md). An `up` writes
 * into the world what it creates (ECR repositories, SSM parameters, every
 * resource by URN, the stack's outputs); a push adds an image to a
 * repository that exists. A `preview` reads the world and changes nothing.
 *
 *     const life = new Lifecycle({ projectDir, stack: "dev" });      // a fresh world
 *     const first = await life.up();                                   // images pending
 *     life.pushStackImages(first);                                     // README step 6
 *     const second = await life.up();                                  // workloads run
 *
 * The world is one object (tools/preview/world.ts), so other drivers (the
 * environment's wave runner) can pass it along the same way.
 */
import { defaultProjectDir, PreviewResult, RunPreviewOptions, runPreview } from "./index";
import { readProject, readStackConfig, toProgramConfig } from "./config";
import { catalogImages, ImagePush, World } from "./world";

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>` (ECR User Guide, "Private registry concepts": the registry URL). */
export function parseRepositoryUrl(url: string): { account: string; region: string; repository: string } | undefined {
    const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/.exec(url);
    return m ? { account: m[1], region: m[2], repository: m[3] } : undefined;
}

export class Lifecycle {
    /** Every run so far, in order. */
    readonly runs: PreviewResult[] = [];

    /** `base`: options every run shares (project, stack, configuration); `world`: where it starts (default: a fresh account). */
    constructor(readonly base: Omit<RunPreviewOptions, "world" | "freshAccount" | "mode"> = {}, public world: World = World.fresh()) {}

    /** `pulumi up`: the world afterwards holds what it created. */
    up(opts: Omit<RunPreviewOptions, "world" | "freshAccount" | "mode"> = {}): Promise<PreviewResult> {
        return this.run({ ...opts, mode: "up" });
    }

    /** `pulumi preview`: reads the world, changes nothing. */
    preview(opts: Omit<RunPreviewOptions, "world" | "freshAccount" | "mode"> = {}): Promise<PreviewResult> {
        return this.run({ ...opts, mode: "preview" });
    }

    private async run(opts: RunPreviewOptions): Promise<PreviewResult> {
        const result = await runPreview({ ...this.base, ...opts, world: this.world });
        if (result.mode === "up" && !result.errors) this.world = result.world;
        this.runs.push(result);
        return result;
    }

    /** `docker push` of each image; fails (nothing pushed) if a repository does not exist. Returns the digests. */
    push(images: ImagePush[]): string[] {
        const next = this.world.clone();
        const digests = images.map(i => next.pushImage(i));
        this.world = next;
        return digests;
    }

    /**
     * README "Deploying for real", step 6: for each service whose stack file
     * names a tag, push that tag to the `repositoryUrl` the stack's `services`
     * output gives for it (`pulumi stack output services --json`). Returns
     * what was pushed.
     */
    pushStackImages(after: PreviewResult = this.runs[this.runs.length - 1]): ImagePush[] {
        if (!after || after.mode !== "up") throw new Error("push the images after an up: its outputs give each repository's URL");
        const project = readProject(this.base.projectDir ?? defaultProjectDir());
        const stackConfig = this.base.stackConfig ?? readStackConfig(project, after.stack, this.base.configFile);
        const { config } = toProgramConfig(project.name, stackConfig, project.defaults);
        const services = (after.outputs.services ?? {}) as Record<string, { repositoryUrl?: unknown }>;
        const pushes: ImagePush[] = [];
        for (const image of catalogImages(config, project.name, after.stack)) {
            const url = services[image.service]?.repositoryUrl;
            const where = typeof url === "string" ? parseRepositoryUrl(url) : undefined;
            if (!where) throw new Error(`the stack's services output has no repositoryUrl for ${image.service}`);
            pushes.push({ ...where, tag: image.tag });
        }
        this.push(pushes);
        return pushes;
    }
}
