/**
 * `npm run bench`: the offline preview over synthetic catalogs of 25, 50, 100
 * and 200 Fargate services, each run in a fresh process, side by side with
 * the default Pulumi TypeScript path on the same catalogs. Prints a Markdown
 * table (kept in docs/performance.md). Targets on a 2-core machine: at most
 * 1 ms per resource and 1.5 GB peak RSS at 200 services, growing linearly.
 *
 *   npm run bench                 all sizes, then 200 and 400 services as one stack and as shards
 *   npm run bench -- 25 50        chosen sizes
 *   npm run bench -- --sharded    only the single-stack vs sharded table (200, 400; or the sizes given)
 *   npm run bench -- --peer       only the table against AWS CDK + cdk-nag (25, 100, 200; or the sizes given)
 *   npm run bench -- --changed    only a one-service change planned with --changed vs the full environment plan (400; or the sizes given)
 *   npm run bench -- --profile    where the CPU of one 200-service plan goes (or the size given), by package and by function
 *   npm run bench -- --pack       the policy pack's own time over the 200-service catalogs (or the sizes given), with a front door
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { shardedStackConfig, syntheticStackConfig } from "./catalog";
import { ensurePeerInstalled, PEER_DIR, PEER_TABLE_HEADER } from "./peer";
import { PACK_BUDGET_S, PACK_TABLE_HEADER } from "./pack";
import { CpuProfile, profileTables, summarise } from "./profile";

interface Sample {
    resources: number;
    /** --changed: shards touched, planned again besides them, taken from the cache. */
    touched?: number;
    replanned?: number;
    cached?: number;
    /** Sharded runs: shards, program runs, passes, resources per shard. */
    shards?: number;
    runs?: number;
    passes?: number;
    perShard?: { min: number; median: number; max: number };
    wallMs: number;
    maxRssMb: number;
    policyMs?: number;
    /** The policy pack's CPU time (user + system) over the same run. */
    policyCpuMs?: number;
    /** What the reachability rules and the plan's reachability section add to the policy step. */
    reachabilityMs?: number;
    /** The cost estimate and its full table over the same records (docs/cost.md). */
    costMs?: number;
    mandatory?: number;
    /** platform-once and the CDK peer: the AWS resources among them (ours: without components). */
    awsResources?: number;
    /** User + system CPU time of the process. */
    cpuMs?: number;
}

type Variant = "platform" | "platform-once" | "default" | "nodeargs" | "plan" | "env" | "changed";

/** Runs one node script in a fresh process, timed from spawn to exit; its last stdout line is JSON. */
function timed<T>(label: string, args: string[]): T & { wallMs: number } {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 26 });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) {
        throw new Error(`${label} run failed (${run.status}): ${run.stderr}`);
    }
    return { ...(JSON.parse(run.stdout.trim().split("\n").pop()!) as T), wallMs };
}

function measure(variant: Variant, file: string, ...rest: string[]): Sample {
    return timed<Omit<Sample, "wallMs">>(variant, [path.join(__dirname, "child.js"), variant, file, ...rest]);
}

/** Runs `fn` with the environment variable set (the child processes inherit it). */
function withEnv<T>(name: string, value: string, fn: () => T): T {
    const saved = process.env[name];
    process.env[name] = value;
    try {
        return fn();
    } finally {
        if (saved === undefined) delete process.env[name];
        else process.env[name] = saved;
    }
}

/**
 * `npm run bench -- --sharded [sizes]`: each synthetic Fargate catalog planned
 * as one stack (`npm run plan -- --stack`) and as one shard per service
 * (`npm run plan -- --env`), both exactly as the CLI runs them (policy pack
 * and every section included, text output), side by side. The two alternate,
 * ROUNDS times each, in fresh processes: the machines are shared and their
 * speed drifts over minutes, so each cell is the median and the ratio is
 * taken round by round. Targets: at most 500 MB peak RSS sharded at 200 and
 * 400 services, growing far slower than one stack; wall time no worse than
 * the single stack's.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function sharded(counts: number[], dir: string): void {
    console.log(`Fargate catalogs as one stack and as one shard per service (npm run plan, preview, text output; median of ${ROUNDS} alternating rounds):`);
    console.log("");
    console.log("| services | single-stack resources | single-stack wall (s) | single-stack peak RSS (MB) | shards | sharded resources | resources per shard (min/median/max) | program runs | sharded wall (s) | sharded / single (per round) | sharded peak RSS (MB) | mandatory |");
    console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const count of counts) {
        const single = path.join(dir, `Pulumi.single-${count}.yaml`);
        const shardedFile = path.join(dir, `Pulumi.sharded-${count}.yaml`);
        fs.writeFileSync(single, YAML.stringify({ config: syntheticStackConfig(count) }));
        fs.writeFileSync(shardedFile, YAML.stringify({ config: shardedStackConfig(count) }));
        const ones: Sample[] = [];
        const manys: Sample[] = [];
        for (let i = 0; i < ROUNDS; i++) {
            ones.push(measure("plan", single));
            manys.push(measure("env", shardedFile));
        }
        const per = manys[0].perShard!;
        const ratios = ones.map((o, i) => manys[i].wallMs / o.wallMs);
        const many = manys[0];
        console.log(`| ${[
            count,
            ones[0].resources,
            (median(ones.map(o => o.wallMs)) / 1000).toFixed(1),
            Math.round(median(ones.map(o => o.maxRssMb))),
            many.shards,
            many.resources,
            `${per.min}/${per.median}/${per.max}`,
            many.runs,
            (median(manys.map(m => m.wallMs)) / 1000).toFixed(1),
            `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`,
            Math.round(Math.max(...manys.map(m => m.maxRssMb))),
            Math.max(...manys.map(m => m.mandatory ?? 0), ...ones.map(o => o.mandatory ?? 0)),
        ].join(" | ")} |`);
    }
    console.log("");
    console.log("single-stack: `npm run plan -- --stack` over the catalog as one stack; sharded: `npm run plan -- --env` over the same catalog, one shard per service (every shard planned, the environment checks included). Peak RSS: the highest of the rounds.");
}

/**
 * `npm run bench -- --changed [sizes]`: a one-service change (a new image tag
 * for one service that others consume) in an environment of one shard per
 * service (`shardedStackConfig`), judged two ways in fresh processes, ROUNDS
 * alternating rounds: the full environment plan of the changed catalog
 * (`npm run plan -- --env`), and `npm run plan -- --env --changed <ref>`
 * against the unchanged catalog committed in a temporary git repository,
 * each round from a copy of the same warm cache (the unchanged catalog
 * planned in full once, as CI's run on main leaves it). The checkout must
 * have no uncommitted change to what the plan reads, or every shard counts as
 * touched (the table shows how many were). Goal (issue "Fast at every
 * scale", never a test): `--changed` in at most 10% of the full plan's wall
 * time at 400 services, with the same results (test/preview/env-changed.test.ts).
 */
function changed(counts: number[], dir: string): void {
    console.log(`A one-service change in an environment of one shard per service: \`npm run plan -- --env\` (full) vs \`--changed <ref>\` from a warm cache (preview, text output; median of ${ROUNDS} alternating rounds; node ${process.version}, ${os.cpus().length} cores):`);
    console.log("");
    console.log("| services = shards | full plan: program runs | full wall (s) | full peak RSS (MB) | --changed: touched / planned again / from the cache | --changed program runs | --changed wall (s) | --changed / full wall (per round) | --changed peak RSS (MB) | mandatory |");
    console.log("| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
    const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    for (const count of counts) {
        const repo = path.join(dir, `changed-${count}`);
        fs.mkdirSync(repo, { recursive: true });
        const file = path.join(repo, "Pulumi.bench.yaml");
        const base = shardedStackConfig(count);
        fs.writeFileSync(file, YAML.stringify({ config: base }));
        git(repo, "init", "-q");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-qm", "base");
        // The warm cache: the unchanged catalog planned in full once.
        const warm = path.join(dir, `warm-${count}`);
        withEnv("PRIVATELINK_PLAN_CACHE", warm, () => measure("env", file));
        // The change: one consumed service's image tag.
        const services = base["privatelink-platform:services"] as Array<{ name: string; image?: string; consumes: string[] }>;
        const target = services.find(s => services.some(c => c.consumes.includes(s.name)))!;
        fs.writeFileSync(file, YAML.stringify({ config: { ...base, "privatelink-platform:services": services.map(s => (s === target ? { ...s, image: "1.0.1" } : s)) } }));
        const fulls: Sample[] = [];
        const partials: Sample[] = [];
        const full = () => {
            const scratch = path.join(dir, "full-cache");
            try {
                fulls.push(withEnv("PRIVATELINK_PLAN_CACHE", scratch, () => measure("env", file)));
            } finally {
                fs.rmSync(scratch, { recursive: true, force: true });
            }
        };
        const partial = () => {
            const copy = path.join(dir, "changed-cache");
            fs.cpSync(warm, copy, { recursive: true });
            try {
                partials.push(withEnv("PRIVATELINK_PLAN_CACHE", copy, () => measure("changed", file, "HEAD")));
            } finally {
                fs.rmSync(copy, { recursive: true, force: true });
            }
        };
        for (let i = 0; i < ROUNDS; i++) {
            // Alternate which runs first, so a drift in the machine's speed weighs on both.
            if (i % 2 === 0) {
                full();
                partial();
            } else {
                partial();
                full();
            }
        }
        const ratios = fulls.map((f, i) => partials[i].wallMs / f.wallMs);
        const p = partials[0];
        console.log(`| ${[
            count,
            fulls[0].runs,
            (median(fulls.map(f => f.wallMs)) / 1000).toFixed(1),
            Math.round(median(fulls.map(f => f.maxRssMb))),
            `${p.touched} / ${p.replanned} / ${p.cached}`,
            p.runs,
            (median(partials.map(x => x.wallMs)) / 1000).toFixed(1),
            `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)})`,
            Math.round(median(partials.map(x => x.maxRssMb))),
            Math.max(...fulls.map(f => f.mandatory ?? 0), ...partials.map(x => x.mandatory ?? 0)),
        ].join(" | ")} |`);
    }
    console.log("");
    console.log(`full: \`npm run plan -- --env bench --config-file <catalog>\` (every shard planned, the environment checks included; it writes the cache of shard plans as every environment plan does). --changed: the same with \`--changed HEAD\`, the unchanged catalog committed, each round from a copy of one warm cache. The change: ${"`image`"} of one service other services consume. Wall: process start to exit.`);
}

/** One synthesis of the peer CDK app (tools/bench/cdk/app.js) in a fresh process, timed like `measure`. */
function measureCdk(file: string): Sample & { nagFindings: number } {
    return timed<Omit<Sample, "wallMs"> & { nagFindings: number }>("CDK", [path.join(PEER_DIR, "app.js"), file, "--stack", "bench"]);
}

/**
 * `npm run bench -- --peer [sizes]`: each synthetic Fargate catalog through
 * our offline plan (program + policy pack, child.js platform-once) and
 * through the peer CDK app of the same topology synthesised with cdk-nag's
 * AwsSolutions checks (tools/bench/cdk/), in fresh processes, ROUNDS rounds
 * that alternate which goes first; medians, and the ratios taken round by
 * round. Installs the peer's packages on first use. Goals (issue "Fast at
 * every scale", never a test): at 200 services ours ≤ 0.7× CDK's wall time
 * and ≤ 1.0× its peak RSS.
 */
function peer(counts: number[], dir: string): void {
    ensurePeerInstalled();
    console.log(`Fargate catalogs through our offline plan (program + policy pack) and through AWS CDK synth + cdk-nag AwsSolutions (median of ${ROUNDS} alternating rounds; node ${process.version}, ${os.cpus().length} cores):`);
    console.log("");
    console.log(PEER_TABLE_HEADER);
    console.log(`|${" ---: |".repeat(PEER_TABLE_HEADER.split("|").length - 2)}`);
    for (const count of counts) {
        const file = path.join(dir, `Pulumi.peer-${count}.yaml`);
        fs.writeFileSync(file, YAML.stringify({ config: syntheticStackConfig(count) }));
        const ours: Sample[] = [];
        const cdks: ReturnType<typeof measureCdk>[] = [];
        for (let i = 0; i < ROUNDS; i++) {
            // Alternate which runs first, so a drift in the machine's speed weighs on both.
            if (i % 2 === 0) {
                ours.push(measure("platform-once", file));
                cdks.push(measureCdk(file));
            } else {
                cdks.push(measureCdk(file));
                ours.push(measure("platform-once", file));
            }
        }
        const per = (f: (o: Sample, c: Sample) => number) => ours.map((o, i) => f(o, cdks[i]));
        const range = (xs: number[]) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
        console.log(`| ${[
            count,
            `${ours[0].resources} (${ours[0].awsResources})`,
            (median(ours.map(o => o.wallMs)) / 1000).toFixed(1),
            Math.round(median(ours.map(o => o.maxRssMb))),
            cdks[0].resources,
            (median(cdks.map(c => c.wallMs)) / 1000).toFixed(1),
            Math.round(median(cdks.map(c => c.maxRssMb))),
            range(per((o, c) => o.wallMs / c.wallMs)),
            median(per((o, c) => o.maxRssMb / c.maxRssMb)).toFixed(2),
            median(per((o, c) => o.cpuMs! / c.cpuMs!)).toFixed(2),
            cdks[0].nagFindings,
            Math.max(...ours.map(o => o.mandatory ?? 0)),
        ].join(" | ")} |`);
    }
    console.log("");
    console.log("ours: `tools/bench/child.js platform-once` (the program under the offline preview, then the whole policy pack over its records, once each). " +
        "CDK: `tools/bench/cdk/app.js` (the same catalog built with aws-cdk-lib, cdk-nag's AwsSolutions checks registered, `app.synth()` in-process). " +
        "Wall: process start to exit. Our resources count Pulumi components too; in brackets the AWS resources alone. " +
        "Ratios: per round, then the median (wall: range of the rounds in brackets).");
}

/**
 * `npm run bench -- --pack [sizes]`: the whole policy pack over the records
 * of each synthetic catalog (Fargate, then mixed runtimes) with a front door
 * (withFrontDoor), timed after a warm-up in the process that planned it, as
 * `npm run plan` runs it (child.js platform): the pack's own time, which the
 * engine adds to a preview or an up.
 */
function packTime(counts: number[], dir: string): void {
    console.log(`The policy pack over synthetic catalogs with a front door (every tenth service exposed), node ${process.version}; budget ${PACK_BUDGET_S} s at 200 services:`);
    console.log("");
    for (const line of PACK_TABLE_HEADER) console.log(line);
    for (const count of counts) {
        for (const mixed of [false, true]) {
            const config = syntheticStackConfig(count, undefined, mixed, true);
            const routes = (config["privatelink-platform:services"] as { expose?: { routes: { methods: string[] }[] } }[]).flatMap(s => s.expose?.routes ?? []).reduce((n, r) => n + r.methods.length, 0);
            const file = path.join(dir, `Pulumi.pack-${mixed ? "mixed" : "fargate"}-${count}.yaml`);
            fs.writeFileSync(file, YAML.stringify({ config }));
            const s = measure("platform", file);
            const row = [mixed ? "mixed" : "fargate", count, s.resources, routes, ((s.policyMs ?? 0) / 1000).toFixed(2), ((s.policyCpuMs ?? 0) / 1000).toFixed(2), addedSeconds(s.reachabilityMs), s.mandatory ?? "-"];
            console.log(`| ${row.join(" | ")} |`);
        }
    }
    console.log("");
    console.log(`policy pack: the whole pack once over the plan's records in preview mode, after one warm-up run in the same process (wall, and CPU: user + system); reachability: what its three rules and the plan's section add (wall). Load average when it ended: ${os.loadavg().map(x => x.toFixed(1)).join(", ")} on ${os.cpus().length} cores.`);
}

function main(): void {
    if (process.argv.includes("--help") || process.argv.includes("-h")) {
        // The usage is this file's header comment.
        const header = fs.readFileSync(__filename, "utf8").split("*/")[0];
        console.log(header.split("\n").map(l => l.replace(/^\s*\/?\*\*? ?/, "")).join("\n").trim());
        return;
    }
    if (process.argv.includes("--profile")) {
        const count = process.argv.slice(2).map(Number).find(n => n > 0) ?? 200;
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
        try {
            const file = path.join(dir, `Pulumi.bench-${count}.yaml`);
            fs.writeFileSync(file, YAML.stringify({ config: syntheticStackConfig(count) }));
            const sample = timed<Omit<Sample, "wallMs">>("profile", ["--cpu-prof", `--cpu-prof-dir=${dir}`, path.join(__dirname, "child.js"), "platform-once", file]);
            const written = fs.readdirSync(dir).find(f => f.endsWith(".cpuprofile"))!;
            const profile = JSON.parse(fs.readFileSync(path.join(dir, written), "utf8")) as CpuProfile;
            console.log(`Profile of one plan of ${count} Fargate services (${sample.resources} resources; child.js platform-once under node --cpu-prof), node ${process.version}:\n`);
            console.log(profileTables(summarise(profile, path.resolve(__dirname, "..", ".."))));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        return;
    }
    if (process.argv.includes("--pack")) {
        const counts = process.argv.slice(2).map(Number).filter(n => n > 0);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
        try {
            packTime(counts.length > 0 ? counts : [200], dir);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        return;
    }
    if (process.argv.includes("--peer")) {
        const counts = process.argv.slice(2).map(Number).filter(n => n > 0);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
        try {
            peer(counts.length > 0 ? counts : [25, 100, 200], dir);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        return;
    }
    if (process.argv.includes("--changed")) {
        const counts = process.argv.slice(2).map(Number).filter(n => n > 0);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
        try {
            changed(counts.length > 0 ? counts : [400], dir);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        return;
    }
    if (process.argv.includes("--sharded")) {
        const counts = process.argv.slice(2).map(Number).filter(n => n > 0);
        sharded(counts.length > 0 ? counts : [200, 400], fs.mkdtempSync(path.join(os.tmpdir(), "bench-")));
        return;
    }
    const sizes = process.argv.slice(2).map(Number).filter(n => n > 0);
    const counts = sizes.length > 0 ? sizes : [25, 50, 100, 200];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    const rows: string[] = [];
    const costs: string[] = [];
    console.log(`offline preview benchmark — node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
    console.log("");
    console.log("Fargate catalogs, side by side with the default Pulumi TypeScript path:");
    console.log("");
    console.log("| services | resources | wall (s) | ms/resource | peak RSS (MB) | policy pack (s) | reachability adds (s) | default path wall (s) | default ms/resource | default peak RSS (MB) | speed-up | default + nodeargs wall (s) | nodeargs gain |");
    console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const count of counts) {
        const file = path.join(dir, `Pulumi.bench-${count}.yaml`);
        fs.writeFileSync(file, YAML.stringify({ config: syntheticStackConfig(count) }));
        const ours = measure("platform", file);
        const def = measure("default", file);
        const tuned = measure("nodeargs", file);
        if (ours.resources !== def.resources || tuned.resources !== def.resources) {
            throw new Error(`the two paths disagree: ${ours.resources} vs ${def.resources} resources`);
        }
        const row = [
            count,
            ours.resources,
            (ours.wallMs / 1000).toFixed(1),
            (ours.wallMs / ours.resources).toFixed(2),
            Math.round(ours.maxRssMb),
            ((ours.policyMs ?? 0) / 1000).toFixed(2),
            addedSeconds(ours.reachabilityMs),
            (def.wallMs / 1000).toFixed(1),
            (def.wallMs / def.resources).toFixed(2),
            Math.round(def.maxRssMb),
            `${(def.wallMs / ours.wallMs).toFixed(1)}×`,
            (tuned.wallMs / 1000).toFixed(1),
            `${(def.wallMs / tuned.wallMs).toFixed(2)}×`,
        ];
        rows.push(`| ${row.join(" | ")} |`);
        costs.push(`| fargate | ${count} | ${ours.resources} | ${((ours.costMs ?? 0) / 1000).toFixed(3)} |`);
        console.log(rows[rows.length - 1]);
    }
    console.log("");
    console.log("Mixed-runtime catalogs (60% fargate, 15% lambda, 15% ecs-ec2, 10% eks), offline preview only:");
    console.log("");
    console.log("| services | resources | wall (s) | ms/resource | peak RSS (MB) | policy pack (s) | reachability adds (s) | mandatory violations |");
    console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const count of counts) {
        const file = path.join(dir, `Pulumi.mixed-${count}.yaml`);
        fs.writeFileSync(file, YAML.stringify({ config: syntheticStackConfig(count, undefined, true) }));
        const s = measure("platform", file);
        costs.push(`| mixed | ${count} | ${s.resources} | ${((s.costMs ?? 0) / 1000).toFixed(3)} |`);
        console.log(`| ${[count, s.resources, (s.wallMs / 1000).toFixed(1), (s.wallMs / s.resources).toFixed(2), Math.round(s.maxRssMb), ((s.policyMs ?? 0) / 1000).toFixed(2), addedSeconds(s.reachabilityMs), s.mandatory ?? "-"].join(" | ")} |`);
    }
    console.log("");
    console.log("Cost estimate over the same records (estimate + full table; budget: 3 s at 200 services):");
    console.log("");
    console.log("| catalog | services | resources | cost adds (s) |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const c of costs) console.log(c);
    console.log("");
    console.log(diagramLine(dir, Math.max(...counts)));
    console.log("reachability adds: the pack with its three reachability rules plus the plan's reachability section, minus the pack without them (docs/reachability.md).");
    console.log("wall: process start to exit, including TypeScript loading; each cell is one fresh process.");
    console.log("default path: ts-node with type checking, Node's default flags, the SDK's promise debug wrappers on (as `pulumi up` runs the program).");
    console.log("nodeargs: the default path with Pulumi.yaml's runtime.options.nodeargs (--stack-trace-limit=1, --heap-growing-percent=50).");
    console.log("");
    sharded(sizes.length > 0 ? sizes : [200, 400], dir);
}

/** What `--diagram` adds to the plan of the largest Fargate catalog (tools/bench/diagram.js, docs/diagram.md). */
function diagramLine(dir: string, count: number): string {
    const file = path.join(dir, `Pulumi.bench-${count}.yaml`);
    const run = spawnSync(process.execPath, [path.join(__dirname, "diagram.js"), file], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`diagram run failed (${run.status}): ${run.stderr}`);
    const d = JSON.parse(run.stdout.trim().split("\n").pop()!) as Record<string, number>;
    const s = (ms: number) => (ms / 1000).toFixed(2);
    return `diagram (\`--diagram out.svg\`, ${d.services} services, ${d.edges} edges): adds ${s(d.svgMs)} s wall, ${s(d.svgCpuMs)} s CPU ` +
        `(WebAssembly load included; target ≤ 3 s); .mmd ${s(d.mermaidMs)} s, .dot ${s(d.dotMs)} s; ` +
        `full detail SVG ${s(d.fullSvgMs)} s (${d.fullSvgKb} KB); one service's neighbourhood ${s(d.focusSvgMs)} s.\n`;
}

main();

/**
 * What one part adds to a run, measured as the difference of two wall times
 * in one process: below the timer's noise (JIT warm-up and garbage collection
 * land in either run) it is shown as such, never as a negative time.
 */
function addedSeconds(ms: number | undefined): string {
    const s = (ms ?? 0) / 1000;
    return s < 0.05 ? "< 0.05 (noise)" : s.toFixed(2);
}
