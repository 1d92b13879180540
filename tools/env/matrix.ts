/**
 * The GitHub Actions matrix of a change: which shard stacks to preview, and
 * which environments to bring up in waves on main.
 *
 *     npm run matrix -- --base origin/main           # git diff <base>...HEAD
 *     npm run matrix -- --files stacks/Pulumi.dev.yaml services/notifier/index.js
 *     npm run matrix -- --base "$BASE" --github-output "$GITHUB_OUTPUT"
 *
 * Which shards a change touches, and which follow, is decided by
 * ./affected.ts, the selection the offline plan of a change uses too
 * (`npm run plan -- --env <env> --changed <ref>`): a shard's stack file, its
 * part of the environment file (with `--base`, the two versions compared
 * entry by entry; with `--files` only, every shard of the environment counts
 * as touched), its services' code and the files their entries name,
 * `policies/config/<env>.json`, or shared code (anything not listed as
 * offline-only below: every shard of every environment). The preview matrix
 * is those shards plus the ones that follow (the shards the wave planner
 * re-runs: consumers reading their outputs, providers accepting their
 * endpoints); CI cannot see outputs, so it previews every one of them. The
 * up matrix is one entry per environment, with the touched shards;
 * `npm run env -- up` plans and runs its waves.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { environmentNames, loadEnvironment } from "../../components/catalog/environment";
import { affectedShards, Change, touchedShards as touchedShardsOf } from "./affected";

/** Paths that change nothing any stack deploys: checked offline by `npm test` only. */
export const OFFLINE_ONLY: RegExp[] = [
    /^docs\//, /\.md$/i, /^test\//, /^policies\/test\//, /^policies\/scripts\//,
    /^tools\/(preview|bench|insights|env)\//, /^\.ci\//, /^LICENSE$/, /^\.gitignore$/, /^\.mocharc/,
];

export interface PreviewEntry {
    env: string;
    shard: string;
    /** The Pulumi stack: `<env>.<shard>`, or `<env>` for an environment without shards. */
    stack: string;
    /** Why it is in the matrix: "touched" or "dependent". */
    reason: "touched" | "dependent";
}

export interface UpEntry {
    env: string;
    /** The touched shards, comma-separated, for `npm run env -- up --touched`. */
    touched: string;
}

export interface Matrix {
    preview: { include: PreviewEntry[] };
    up: { include: UpEntry[] };
    /** "true" when the preview matrix is not empty (a job with an empty matrix fails). */
    any: boolean;
}

export interface MatrixInput extends Change {
    projectDir: string;
}

/** The shards each environment's change touches (env -> shard names): ./affected.ts, ignoring OFFLINE_ONLY. */
export function touchedShards(input: MatrixInput): Map<string, Set<string>> {
    return new Map(environmentNames(input.projectDir).map(env => [env, touchedShardsOf(input.projectDir, loadEnvironment(input.projectDir, env), input, { ignore: OFFLINE_ONLY })]));
}

/** The matrix for a change set: per environment, the shards it touches and those that follow (./affected.ts). */
export function computeMatrix(input: MatrixInput): Matrix {
    const preview: PreviewEntry[] = [];
    const up: UpEntry[] = [];
    for (const env of environmentNames(input.projectDir)) {
        const environment = loadEnvironment(input.projectDir, env);
        const { touched, follow } = affectedShards(input.projectDir, environment, input, { ignore: OFFLINE_ONLY });
        if (touched.length === 0) continue;
        const stackOf = new Map(environment.shards.map(s => [s.name, s.stack]));
        for (const shard of [...touched, ...follow].sort()) {
            preview.push({ env, shard, stack: stackOf.get(shard)!, reason: touched.includes(shard) ? "touched" : "dependent" });
        }
        up.push({ env, touched: touched.join(",") });
    }
    return { preview: { include: preview }, up: { include: up }, any: preview.length > 0 };
}

/** The files a change touches: `git diff --name-only <base>...HEAD`, and a reader of their base version. */
export function gitChange(projectDir: string, base: string): Pick<MatrixInput, "changed" | "readBase"> {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: projectDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const changed = git("diff", "--name-only", `${base}...HEAD`).split("\n").filter(Boolean);
    const readBase = (file: string) => {
        try {
            return git("show", `${base}:${file}`);
        } catch {
            return undefined;
        }
    };
    return { changed, readBase };
}

export function parseMatrixArgs(argv: string[]): { base?: string; files?: string[]; githubOutput?: string } {
    const out: { base?: string; files?: string[]; githubOutput?: string } = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--base") out.base = argv[++i];
        else if (a === "--github-output") out.githubOutput = argv[++i];
        else if (a === "--files") {
            out.files = [];
            while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out.files.push(argv[++i]);
        } else throw new Error(`unknown argument ${JSON.stringify(a)}; usage: npm run matrix -- --base <git-ref> | --files <path>... [--github-output <file>]`);
    }
    if ((out.base === undefined) === (out.files === undefined)) {
        throw new Error("give either --base <git-ref> or --files <path>...");
    }
    return out;
}

const MATRIX_USAGE = [
    "usage: npm run matrix -- --base <git-ref> | --files <path>... [--github-output <file>]",
    "",
    "Prints, as JSON, the shard stacks a change touches (preview) and those to deploy (up), the selection docs/scale.md describes.",
    "  --base <git-ref>         the change is git diff --name-only <merge base of ref and HEAD>...HEAD",
    "  --files <path>...        the change is these files",
    "  --github-output <file>   also append preview=, up= and any= lines for a GitHub Actions matrix",
    "Exit codes: 0 done; 2 bad input.",
].join("\n");

export function main(argv: string[], projectDir = path.resolve(__dirname, "..", ".."), io: { out(text: string): void; err(text: string): void } = {
    out: text => process.stdout.write(text),
    err: text => process.stderr.write(text),
}): number {
    if (argv.includes("--help") || argv.includes("-h")) {
        io.out(`${MATRIX_USAGE}\n`);
        return 0;
    }
    let args: ReturnType<typeof parseMatrixArgs>;
    try {
        args = parseMatrixArgs(argv);
    } catch (err) {
        io.err(`${(err as Error).message}\n`);
        return 2;
    }
    const change = args.base !== undefined ? gitChange(projectDir, args.base) : { changed: args.files! };
    const matrix = computeMatrix({ projectDir, ...change });
    io.out(`${JSON.stringify(matrix, null, 2)}\n`);
    if (args.githubOutput) {
        fs.appendFileSync(args.githubOutput, [
            `preview=${JSON.stringify(matrix.preview)}`,
            `up=${JSON.stringify(matrix.up)}`,
            `any=${matrix.any}`,
            "",
        ].join("\n"));
    }
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
