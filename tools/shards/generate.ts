/**
 * Shard stack files, generated from the environment file:
 *
 *     npm run shards                 # every environment that declares shards
 *     npm run shards -- --env dev    # one environment
 *     npm run shards -- --check      # exit 1 when a file is missing, stale or left over
 *
 * `stacks/Pulumi.<env>.yaml` is the catalog. Each shard's stack
 * `<env>.<shard>` reads `stacks/Pulumi.<env>.<shard>.yaml`, which is the
 * environment's whole `config:` (comments included) plus
 * `privatelink-platform:environment` and `privatelink-platform:shard`. Every
 * shard stack so holds the whole catalog in its own configuration, which the
 * engine hands to the program and to the policy pack (PULUMI_CONFIG).
 *
 * Why generated files: Pulumi reads a stack's configuration from its own
 * stack file (Pulumi docs, "Stack settings file": `Pulumi.<stack-name>.yaml`).
 * Project-level `config:` in Pulumi.yaml applies to every stack of the
 * project, prod included, so it cannot hold one environment's catalog; Pulumi
 * ESC environments (`environment:` imports with `pulumiConfig`) could, but
 * need Pulumi Cloud. Secrets (`secure:` values) are encrypted per stack and
 * cannot be copied: the generator refuses them (set them per shard with
 * `pulumi config set --secret --stack <env>.<shard>`, or use ESC).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Catalog, formatProblems, isCatalogValidationError, shardStackName } from "../../components/catalog";
import { environmentFrom, environmentNamesIn } from "../../components/catalog/environment";
import { CONFIG_NAMESPACE } from "../../components/catalog/needsInput";
import { accountRoleOwners } from "../../components/frontDoorRoutes";

export const GENERATED_MARK = "# GENERATED from stacks/Pulumi.";

/** True for a file this generator wrote. */
export function isGenerated(text: string): boolean {
    return text.startsWith(GENERATED_MARK);
}

export interface ShardFile {
    stack: string;
    file: string;
    text: string;
}

/** The environments of a stack directory (components/catalog/environment.ts), less any generated file. */
export function environments(stacksDir: string): string[] {
    return environmentNamesIn(stacksDir).filter(env => !isGenerated(fs.readFileSync(path.join(stacksDir, `Pulumi.${env}.yaml`), "utf8")));
}

/** The shard files one environment file asks for (none when it declares no shards). */
export function shardFilesOf(stacksDir: string, env: string): ShardFile[] {
    const envFile = path.join(stacksDir, `Pulumi.${env}.yaml`);
    const source = fs.readFileSync(envFile, "utf8");
    const doc = YAML.parseDocument(source);
    const config = doc.get("config");
    if (!YAML.isMap(config)) return [];
    const plain = config.toJSON() as Record<string, unknown>;
    if (plain[`${CONFIG_NAMESPACE}:shards`] === undefined) return [];
    for (const key of [`${CONFIG_NAMESPACE}:shard`, `${CONFIG_NAMESPACE}:environment`]) {
        if (key in plain) throw new Error(`${envFile}: ${key} belongs in the generated shard files only; remove it from the environment file`);
    }
    const secret = findSecure(plain);
    if (secret) {
        throw new Error(
            `${envFile}: ${secret} is a secret, encrypted with this stack's own key: it cannot be copied into the shards' stacks. ` +
            `Set it in each shard with \`pulumi config set --secret --stack ${env}.<shard> ...\`, or import it from a Pulumi ESC environment`,
        );
    }
    // The environment is read by the one loader, as the program reads it, so a bad list is refused here with the same messages.
    const parent = path.dirname(stacksDir);
    let catalog: Catalog;
    try {
        catalog = environmentFrom(plain, env, fs.existsSync(path.join(parent, "Pulumi.yaml")) ? parent : undefined).catalog;
    } catch (e) {
        if (isCatalogValidationError(e)) throw new Error(`${envFile}: ${formatProblems(e.problems)}`);
        throw e;
    }
    // API Gateway's account-wide CloudWatch role: one owner per account and Region (components/frontDoor.ts).
    const roleOwners = accountRoleOwners(catalog);
    return (catalog.shards ?? []).map(shard => {
        const stack = shardStackName(env, shard.name);
        const out = new YAML.Document(doc.contents);
        const body = out.get("config") as YAML.YAMLMap;
        const copy = body.clone() as YAML.YAMLMap;
        const roleKey = [`${CONFIG_NAMESPACE}:platform`, "frontDoor", "manageAccountRole"];
        if (copy.hasIn(roleKey)) copy.setIn(roleKey, roleOwners.has(shard.name));
        copy.items.unshift(
            new YAML.Pair(new YAML.Scalar(`${CONFIG_NAMESPACE}:environment`), new YAML.Scalar(env)),
            new YAML.Pair(new YAML.Scalar(`${CONFIG_NAMESPACE}:shard`), new YAML.Scalar(shard.name)),
        );
        const file = new YAML.Document({});
        file.contents = new YAML.YAMLMap();
        (file.contents as YAML.YAMLMap).items.push(new YAML.Pair(new YAML.Scalar("config"), copy));
        file.commentBefore = [
            ` GENERATED from stacks/Pulumi.${env}.yaml by \`npm run shards\`: do not edit, edit that file and run it again`,
            ` (test/platform/shard-files.test.ts fails while this file differs from what it generates).`,
            ` Stack ${stack}: shard "${shard.name}" of environment ${env}, declaring ${shard.services.join(", ")}.`,
        ].join("\n");
        return { stack, file: path.join(stacksDir, `Pulumi.${stack}.yaml`), text: file.toString({ lineWidth: 0 }) };
    });
}

function findSecure(value: unknown, at = ""): string | undefined {
    if (value === null || typeof value !== "object") return undefined;
    if (!Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value) return at || "a value";
    for (const [k, v] of Object.entries(value)) {
        const found = findSecure(v, Array.isArray(value) ? `${at}[${k}]` : at ? `${at}.${k}` : k);
        if (found) return found;
    }
    return undefined;
}

export interface Drift {
    missing: string[];
    stale: string[];
    /** Generated files whose environment no longer declares their shard. */
    leftOver: string[];
}

/** What differs between the stack directory and what the environment files generate. */
export function drift(stacksDir: string, envs = environments(stacksDir)): Drift {
    const out: Drift = { missing: [], stale: [], leftOver: [] };
    const wanted = new Set<string>();
    for (const env of envs) {
        for (const f of shardFilesOf(stacksDir, env)) {
            wanted.add(path.basename(f.file));
            if (!fs.existsSync(f.file)) out.missing.push(path.basename(f.file));
            else if (fs.readFileSync(f.file, "utf8") !== f.text) out.stale.push(path.basename(f.file));
        }
    }
    for (const f of fs.readdirSync(stacksDir)) {
        const env = /^Pulumi\.([^.]+)\.[^.]+\.ya?ml$/.exec(f)?.[1];
        if (env && envs.includes(env) && !wanted.has(f) && isGenerated(fs.readFileSync(path.join(stacksDir, f), "utf8"))) {
            out.leftOver.push(f);
        }
    }
    return out;
}

/** Writes every shard file of the given environments and removes left-over ones; returns what it changed. */
export function generate(stacksDir: string, envs = environments(stacksDir)): string[] {
    const changed: string[] = [];
    const d = drift(stacksDir, envs);
    for (const f of d.leftOver) {
        fs.unlinkSync(path.join(stacksDir, f));
        changed.push(`removed ${f}`);
    }
    for (const env of envs) {
        for (const f of shardFilesOf(stacksDir, env)) {
            if (!fs.existsSync(f.file) || fs.readFileSync(f.file, "utf8") !== f.text) {
                fs.writeFileSync(f.file, f.text);
                changed.push(`wrote ${path.basename(f.file)}`);
            }
        }
    }
    return changed;
}

/** Where the command writes: the terminal by default, a test's buffer in tests. */
export interface Io {
    out(text: string): void;
    err(text: string): void;
}

const TERMINAL: Io = { out: text => process.stdout.write(`${text}\n`), err: text => process.stderr.write(`${text}\n`) };

const SHARDS_USAGE = "usage: npm run shards -- [--env <env>] [--check]";

export function main(argv: string[], stacksDir = path.resolve(__dirname, "..", "..", "stacks"), io: Io = TERMINAL): number {
    if (argv.includes("--help") || argv.includes("-h")) {
        io.out([
            SHARDS_USAGE,
            "",
            "Writes stacks/Pulumi.<env>.<shard>.yaml for every shard the environment file lists (every environment, or --env's).",
            "  --check   write nothing; exit 1 when a shard file is missing, stale or left over",
            "Exit codes: 0 done (or current); 1 --check found drift; 2 bad input.",
        ].join("\n"));
        return 0;
    }
    const unknown = argv.filter((a, k) => a !== "--check" && a !== "--env" && argv[k - 1] !== "--env");
    if (unknown.length > 0) {
        io.err(`unknown argument ${JSON.stringify(unknown[0])}\n${SHARDS_USAGE}`);
        return 2;
    }
    const check = argv.includes("--check");
    const i = argv.indexOf("--env");
    const envs = i >= 0 ? [argv[i + 1]] : environments(stacksDir);
    if (i >= 0 && (!argv[i + 1] || !fs.existsSync(path.join(stacksDir, `Pulumi.${argv[i + 1]}.yaml`)))) {
        io.err(`${SHARDS_USAGE}; no stacks/Pulumi.${argv[i + 1] ?? "<env>"}.yaml`);
        return 2;
    }
    if (check) {
        const d = drift(stacksDir, envs);
        const lines = [...d.missing.map(f => `missing ${f}`), ...d.stale.map(f => `stale ${f}`), ...d.leftOver.map(f => `left over ${f}`)];
        if (lines.length > 0) {
            io.err(`${lines.join("\n")}\nrun: npm run shards`);
            return 1;
        }
        io.out("shard files are current");
        return 0;
    }
    const changed = generate(stacksDir, envs);
    io.out(changed.length > 0 ? changed.join("\n") : "shard files are current");
    return 0;
}

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (e) {
        console.error(e instanceof Error ? e.message : String(e));
        process.exitCode = 2;
    }
}
