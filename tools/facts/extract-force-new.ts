/**
 * Extracts which property changes replace a resource, for every resource type
 * the platform declares (policies/lib/allowed-types.ts), from the schema of
 * hashicorp/terraform-provider-aws, which @pulumi/aws bridges: a Terraform
 * attribute with `ForceNew: true` (SDKv2) or a `RequiresReplace()` plan
 * modifier (plugin framework) is replaced by `pulumi up` too.
 *
 * The revision is the one the pinned @pulumi/aws release bridges: pulumi-aws
 * records it as its `upstream` git submodule (a gitlink in the release tag's
 * tree) and builds the provider from that commit with its `patches/` applied.
 * Given clones (bare mirrors are enough) of both repositories:
 *
 *   node -r ts-node/register/transpile-only tools/facts/extract-force-new.ts \
 *       --pulumi-aws <pulumi-aws git dir> --tag v<@pulumi/aws version> \
 *       --provider <terraform-provider-aws git dir> [--out policies/facts/force-new.json]
 *
 * reads the gitlink, applies the patches to a temporary index of the
 * provider's repository and reads that tree; `source.bridgedBy` records the
 * release, its commit, the upstream commit and the patches, and
 * `source.patches` the patches that change a declared type's file (and
 * whether a changed line is a ForceNew). `--provider <git dir> --rev <rev>`
 * or `--provider-dir <dir> --rev <label>` read a revision as given instead;
 * the data then says that it was not checked against the pinned release.
 * Only the files of the declared types' packages (and `names/`) are read,
 * with git (`git show`, `git ls-tree`, `git grep`) or from the directory.
 *
 * Names: a Terraform attribute becomes its Pulumi
 * property by pulumi-terraform-bridge's default (snake_case to camelCase, a
 * list or set of more than one item pluralised), checked against the
 * property names of @pulumi/aws's own typings (node_modules/@pulumi/aws,
 * `<Type>Args`): a name the typings do not have is listed as `unmatched`,
 * never guessed. Properties the typings have and the extracted schema lacks
 * are listed as `sdkOnly` (the provider moved on since the extracted revision).
 * Nested blocks give dotted paths (`healthCheck.port`).
 *
 * Types whose provider is not bridged from Terraform (Kubernetes, the
 * docker-build, awsx and eks components) and the program's own components get
 * a row in `notFromTerraform` with the reason, so every declared type has one.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allowList, ROOT as STACK_ROOT } from "../../policies/lib/allowed-types";

const ROOT = path.resolve(__dirname, "../..");

export interface ForceNewRow {
    terraform: string;
    file: string;
    forceNew: string[];
    /** Terraform attributes that force a replacement but whose Pulumi name the typings do not show. */
    unmatched?: string[];
    /** Top-level input properties of @pulumi/aws's typings the extracted schema does not have. */
    sdkOnly?: string[];
}

export interface ForceNewData {
    generatedBy: string;
    source: {
        repository: string;
        /** What was read: a tag or commit as given, or `upstream of pulumi-aws v<version>`. */
        revision: string;
        /** The provider commit read (before pulumi-aws's patches); null for a plain directory. */
        commit: string | null;
        /** The provider's CHANGELOG.md head at that revision. */
        version: string;
        /** The pulumi-aws release whose `upstream` submodule and patches were read; null when the revision was given directly. */
        bridgedBy: PulumiAwsSource | null;
        /** Where the provider replaces a resource whose per-resource `region` changes (v6 and later); null when that revision has no such `region`. */
        regionReplaces: string | null;
        /** With `bridgedBy`: the release's patches that change a declared type's file, and whether they change a ForceNew. */
        patches?: PatchRow[];
        note: string;
    };
    /** The @pulumi/aws whose typings the property names were checked against (the pinned one, from node_modules). */
    pulumiAws: string;
    resources: Record<string, ForceNewRow>;
    notFromTerraform: Record<string, string>;
    /**
     * Terraform-bridged types the platform declares that the last extraction
     * did not read, each with why (written by hand when a type is added
     * where the provider cannot be read; the next extraction replaces them
     * with rows and drops this map).
     */
    notExtracted?: Record<string, string>;
}

/* ---------- Go source reading (just enough of the syntax: strings, comments, brackets) ---------- */

/** Index just past the bracket closing the one opening at `open`. */
export function closeOf(src: string, open: number): number {
    const pairs: Record<string, string> = { "{": "}", "(": ")", "[": "]" };
    const stack: string[] = [];
    for (let i = open; i < src.length; i++) {
        const c = src[i];
        if (c === '"') {
            for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === "\\") i++;
        } else if (c === "`") {
            i = src.indexOf("`", i + 1);
        } else if (c === "'") {
            for (i++; i < src.length && src[i] !== "'"; i++) if (src[i] === "\\") i++;
        } else if (c === "/" && src[i + 1] === "/") {
            i = src.indexOf("\n", i);
        } else if (c === "/" && src[i + 1] === "*") {
            i = src.indexOf("*/", i) + 1;
        } else if (pairs[c]) {
            stack.push(pairs[c]);
        } else if (c === "}" || c === ")" || c === "]") {
            stack.pop();
            if (stack.length === 0) return i + 1;
        }
        if (i < 0) break;
    }
    throw new Error(`unbalanced bracket at ${open}`);
}

/** Splits the inside of a composite literal into its top-level comma-separated items. */
export function topLevelItems(body: string): string[] {
    const items: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === '"') {
            for (i++; i < body.length && body[i] !== '"'; i++) if (body[i] === "\\") i++;
        } else if (c === "`") {
            i = body.indexOf("`", i + 1);
        } else if (c === "/" && body[i + 1] === "/") {
            i = body.indexOf("\n", i);
            if (i < 0) i = body.length;
        } else if (c === "/" && body[i + 1] === "*") {
            i = body.indexOf("*/", i) + 1;
        } else if ("{([".includes(c)) depth++;
        else if ("})]".includes(c)) depth--;
        else if (c === "," && depth === 0) {
            items.push(body.slice(start, i));
            start = i + 1;
        }
    }
    items.push(body.slice(start));
    return items.map(stripComments).map((s) => s.trim()).filter((s) => s.length > 0);
}

function stripComments(s: string): string {
    return s.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The text between the braces of the first `{` at or after `from`. */
function braceBody(src: string, from: number): string {
    const open = src.indexOf("{", from);
    return src.slice(open + 1, closeOf(src, open) - 1);
}

/** A top-level `Field: value` of a literal body, or undefined. */
function field(body: string, name: string): string | undefined {
    for (const item of topLevelItems(body)) {
        const m = new RegExp(`^${name}\\s*:\\s*([\\s\\S]*)$`).exec(item);
        if (m) return m[1].trim();
    }
    return undefined;
}

/* ---------- the provider's files: a git tree, or a directory ---------- */

/** A grep hit: the file, its 1-based line number and the line. */
export interface GrepHit {
    file: string;
    line: number;
    text: string;
}

/**
 * Where the provider's source is read from. Only the files of the declared
 * types' packages (and `names/`) are read, so either a git object (a bare
 * mirror is enough) or a plain directory (a checkout, an unpacked module)
 * will do.
 */
export interface ProviderFiles {
    /** What was read, for the data's `source` and for errors. */
    readonly describe: string;
    /** The commit read, when the source is a git object. */
    readonly commit: string | null;
    read(file: string): string;
    /** The files directly in `dir` (repository-relative paths). */
    list(dir: string): string[];
    /** Lines matching `pattern` (an extended regular expression) in `*.go` files under `under`. */
    grep(pattern: string, under: string): GrepHit[];
}

function git(dir: string, args: string[], env?: NodeJS.ProcessEnv, input?: string): string {
    return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"], env: env ?? process.env, input });
}

/** A tree of a git repository: a tag, a commit, or a tree made by applying patches (`commit` then names the commit patched). */
export class GitFiles implements ProviderFiles {
    readonly describe: string;
    constructor(readonly dir: string, readonly tree: string, readonly commit: string | null, label?: string) {
        this.describe = label ?? `${dir} at ${tree}`;
    }

    /** The tree of `rev` (a tag, branch or commit) in the git directory `dir`. */
    static at(dir: string, rev: string): GitFiles {
        const commit = git(dir, ["rev-parse", "--verify", `${rev}^{commit}`]).trim();
        return new GitFiles(dir, commit, commit, `${dir} at ${rev}`);
    }

    read(file: string): string {
        return git(this.dir, ["show", `${this.tree}:${file}`]);
    }

    list(dir: string): string[] {
        return git(this.dir, ["ls-tree", "--name-only", this.tree, `${dir}/`]).split("\n").filter((f) => f.length > 0);
    }

    grep(pattern: string, under: string): GrepHit[] {
        let text = "";
        try {
            text = git(this.dir, ["grep", "-n", "-E", pattern, this.tree, "--", `${under}/*.go`]);
        } catch (e) {
            text = (e as { stdout?: string }).stdout ?? ""; // exit 1: no match
        }
        const hits: GrepHit[] = [];
        for (const line of text.split("\n")) {
            const m = /^[^:]+:([^:]+):(\d+):(.*)$/.exec(line);
            if (m) hits.push({ file: m[1], line: Number(m[2]), text: m[3] });
        }
        return hits;
    }
}

/** A directory holding the provider's source (a checkout, or a module unpacked from its archive). */
export class DirFiles implements ProviderFiles {
    readonly commit = null;
    readonly describe: string;
    constructor(readonly root: string) {
        this.describe = root;
    }

    read(file: string): string {
        return fs.readFileSync(path.join(this.root, file), "utf8");
    }

    list(dir: string): string[] {
        const abs = path.join(this.root, dir);
        if (!fs.existsSync(abs)) return [];
        return fs.readdirSync(abs, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.posix.join(dir, e.name));
    }

    grep(pattern: string, under: string): GrepHit[] {
        const re = new RegExp(pattern);
        const hits: GrepHit[] = [];
        const walk = (dir: string) => {
            for (const e of fs.readdirSync(path.join(this.root, dir), { withFileTypes: true })) {
                const rel = path.posix.join(dir, e.name);
                if (e.isDirectory()) walk(rel);
                else if (e.name.endsWith(".go")) {
                    this.read(rel).split("\n").forEach((text, i) => {
                        if (re.test(text)) hits.push({ file: rel, line: i + 1, text });
                    });
                }
            }
        };
        if (fs.existsSync(path.join(this.root, under))) walk(under);
        return hits;
    }
}

/* ---------- the revision a pulumi-aws release bridges, and its patches ---------- */

/** A patch pulumi-aws applies to the provider, as it bears on the declared types. */
export interface PatchRow {
    patch: string;
    /** Files of declared types the patch changes. */
    declaredFiles: string[];
    /** Whether a changed line of those files mentions ForceNew or RequiresReplace. */
    changesForceNew: boolean;
}

export interface PulumiAwsSource {
    repository: string;
    tag: string;
    commit: string;
    /** The provider commit the release's `upstream` submodule records (a gitlink in the release's tree). */
    upstream: string;
    /** The patches under `patches/` at the tag, applied in name order before reading. */
    patches: string[];
}

/** The files a unified diff changes (its `diff --git a/X b/X` headers). */
export function patchFiles(patch: string): string[] {
    return [...patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)].map((m) => m[2]);
}

/** Whether a changed line (`+`/`-`, not a file header) of `file` in the diff mentions ForceNew or RequiresReplace. */
export function patchChangesForceNew(patch: string, file: string): boolean {
    return patch
        .split(/^(?=diff --git )/m)
        .filter((d) => /^diff --git a\/\S+ b\/(\S+)$/m.exec(d)?.[1] === file)
        .some((d) => d.split("\n").some((l) => /^[+-](?![+-]{2} )/.test(l) && /ForceNew|RequiresReplace/.test(l)));
}

/**
 * The provider as a pulumi-aws release builds it: the commit its `upstream`
 * submodule records at `tag`, with the release's `patches/` applied (as its
 * Makefile's upstream step does). Reads both repositories with git only: the
 * patches are applied to a temporary index of the provider's repository, so
 * bare mirrors of both are enough.
 */
export function fromPulumiAws(pulumiAwsDir: string, tag: string, providerDir: string): { files: GitFiles; pulumiAws: PulumiAwsSource; patchText: Map<string, string> } {
    const commit = git(pulumiAwsDir, ["rev-parse", "--verify", `${tag}^{commit}`]).trim();
    const link = /^160000 commit ([0-9a-f]{40})\tupstream$/m.exec(git(pulumiAwsDir, ["ls-tree", commit, "upstream"]));
    if (!link) throw new Error(`${pulumiAwsDir} at ${tag} has no \`upstream\` submodule: pass the provider revision with --rev instead`);
    const upstream = link[1];
    try {
        git(providerDir, ["cat-file", "-e", `${upstream}^{commit}`]);
    } catch {
        throw new Error(`${providerDir} does not have ${upstream}, the commit pulumi-aws ${tag} records as \`upstream\`: fetch it (git fetch origin ${upstream}) and run again`);
    }
    const patches = git(pulumiAwsDir, ["ls-tree", "--name-only", commit, "patches/"]).split("\n").filter((f) => f.endsWith(".patch")).sort();
    const patchText = new Map(patches.map((f) => [f, git(pulumiAwsDir, ["show", `${commit}:${f}`])]));
    const index = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "force-new-")), "index");
    const env = { ...process.env, GIT_INDEX_FILE: index };
    try {
        git(providerDir, ["read-tree", upstream], env);
        for (const [name, text] of patchText) {
            try {
                git(providerDir, ["apply", "--cached", "-"], env, text);
            } catch (e) {
                throw new Error(`${name} of pulumi-aws ${tag} does not apply to ${upstream}: ${(e as { stderr?: string }).stderr ?? e}`);
            }
        }
        const tree = git(providerDir, ["write-tree"], env).trim();
        return {
            files: new GitFiles(providerDir, tree, upstream, `${providerDir} at ${upstream} with the ${patches.length} patches of pulumi-aws ${tag}`),
            pulumiAws: { repository: "pulumi/pulumi-aws", tag, commit, upstream, patches: patches.map((f) => path.posix.basename(f)) },
            patchText,
        };
    } finally {
        fs.rmSync(path.dirname(index), { recursive: true, force: true });
    }
}

/* ---------- the provider's packages ---------- */

class Provider {
    private files = new Map<string, string>();
    private pkgs = new Map<string, Package>();

    constructor(readonly src: ProviderFiles) {}

    read(file: string): string {
        let text = this.files.get(file);
        if (text === undefined) this.files.set(file, (text = this.src.read(file)));
        return text;
    }

    /**
     * Where each Terraform resource type is defined: SDKv2 `@SDKResource("aws_x"`
     * and framework `@FrameworkResource("aws_x"` annotations (the provider's
     * service-package generator reads them), and older framework resources'
     * `TypeName = "aws_x"`.
     */
    locate(types: string[]): Map<string, { file: string; kind: "sdk" | "framework"; func?: string }> {
        const out = new Map<string, { file: string; kind: "sdk" | "framework"; func?: string }>();
        const alt = types.join("|");
        for (const hit of this.src.grep(`@(SDK|Framework)Resource\\("(${alt})"|TypeName = "(${alt})"`, "internal/service")) {
            if (hit.file.endsWith("_test.go")) continue;
            const sdk = /@SDKResource\("([a-z0-9_]+)"/.exec(hit.text);
            if (sdk) {
                const after = this.read(hit.file).split("\n").slice(hit.line).join("\n");
                const fn = /func (\w+)\(/.exec(after);
                out.set(sdk[1], { file: hit.file, kind: "sdk", func: fn?.[1] });
                continue;
            }
            const fw = /@FrameworkResource\("([a-z0-9_]+)"/.exec(hit.text) ?? /TypeName = "([a-z0-9_]+)"/.exec(hit.text);
            if (fw && !out.has(fw[1])) out.set(fw[1], { file: hit.file, kind: "framework" });
        }
        return out;
    }

    /**
     * The file where the provider replaces a resource whose per-resource
     * `region` changes, or undefined. From v6 the provider adds a top-level
     * `region` to every resource registered with Region override and forces a
     * replacement when it changes (`forceNewIfRegionChanges`, SDKv2, and
     * `resourceForceNewIfRegionChanges`, framework, in internal/provider),
     * except between unset and the provider's own Region.
     */
    regionInterceptor(): string | undefined {
        return this.src.grep("^func (resource)?[fF]orceNewIfRegionChanges\\(", "internal/provider")[0]?.file;
    }

    /**
     * Whether the service package registers `tf` with per-resource Region
     * override: its generated service_package_gen.go entry has
     * `Region: unique.Make(inttypes.ResourceRegionDefault())` (or the
     * deprecated-override variant), which internal/types defines with
     * `IsOverrideEnabled: true`; global types (IAM) have none.
     */
    regionOverride(file: string, tf: string): boolean {
        const gen = path.posix.join(path.posix.dirname(file), "service_package_gen.go");
        if (!this.src.list(path.posix.dirname(file)).includes(gen)) return false;
        const src = this.read(gen);
        const at = new RegExp(`TypeName:\\s*"${tf}",`).exec(src);
        if (!at) return false;
        const open = src.lastIndexOf("{\n", at.index);
        const item = src.slice(open, closeOf(src, open));
        return /Region:\s*unique\.Make\(\w+\.ResourceRegion(Default|DeprecatedOverride)\(\)\)/.test(item);
    }

    /** String constants and function bodies of a Go package (the directory of `file`), for resolving names and helper schemas. */
    pkg(file: string): Package {
        const dir = path.posix.dirname(file);
        let p = this.pkgs.get(dir);
        if (p) return p;
        p = { consts: new Map(), funcs: new Map(), vars: new Map() };
        const names = this.src.list(dir).filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"));
        for (const f of names) {
            const src = this.read(f);
            for (const m of src.matchAll(/^\s*(?:const\s+)?(\w+)\s*(?:string\s*)?=\s*"([^"]*)"\s*$/gm)) p.consts.set(m[1], m[2]);
            for (const m of src.matchAll(/^func (\w+)\([^)]*\)[^{\n]*\{/gm)) {
                const open = m.index! + m[0].length - 1;
                p.funcs.set(m[1], src.slice(open + 1, closeOf(src, open) - 1));
            }
            // Package-level schema values: `topicSchema = map[string]*schema.Schema{...}`.
            for (const m of src.matchAll(/^\s*(\w+)\s*=\s*(?:map\[string\]\*schema\.Schema|&schema\.Resource|&schema\.Schema)\s*\{/gm)) {
                const open = m.index! + m[0].length - 1;
                p.vars.set(m[1], src.slice(open + 1, closeOf(src, open) - 1));
            }
        }
        this.pkgs.set(dir, p);
        return p;
    }
}

interface Package {
    consts: Map<string, string>;
    funcs: Map<string, string>;
    /** Package-level schema literals by variable name (their bodies). */
    vars: Map<string, string>;
}

/* ---------- schemas ---------- */

interface Attr {
    name: string;
    forceNew: boolean;
    list: boolean;
    maxOne: boolean;
    children: Attr[];
}

function keyName(key: string, p: Provider, file: string): string | undefined {
    const s = /^"([^"]+)"$/.exec(key);
    if (s) return s[1];
    const names = /^names\.(\w+)$/.exec(key);
    if (names) return p.pkg("names/names.go").consts.get(names[1]);
    return p.pkg(file).consts.get(key);
}

/** The body of a helper's returned literal: `func x() *schema.Resource { return &schema.Resource{...} }`. */
function returnedLiteral(fnBody: string): string | undefined {
    const m = /return\s+&?[\w.]*(?:\[[^\]]*\][\w.*]*)?\s*\{/.exec(fnBody);
    if (!m) return undefined;
    return braceBody(fnBody, m.index + m[0].length - 1);
}

/** A helper call (`foo()`) or a package-level value (`topicSchema`) of the same package, resolved to its literal's body. */
function resolveCall(expr: string, p: Provider, file: string): string | undefined {
    const e = expr.trim();
    const v = /^(\w+)$/.exec(e);
    if (v) return p.pkg(file).vars.get(v[1]);
    const m = /^(\w+)\(\)$/.exec(e);
    if (!m) return undefined;
    const body = p.pkg(file).funcs.get(m[1]);
    return body ? returnedLiteral(body) : undefined;
}

function literalBody(expr: string): string | undefined {
    const i = expr.indexOf("{");
    if (i < 0) return undefined;
    return expr.slice(i + 1, closeOf(expr, i) - 1);
}

/** SDKv2 `map[string]*schema.Schema{...}` body -> attributes. */
function sdkSchemaMap(body: string, p: Provider, file: string): Attr[] {
    const out: Attr[] = [];
    for (const item of topLevelItems(body)) {
        const colon = item.search(/:\s*(?:&?schema\.Schema\s*)?[{\w&]/);
        if (colon < 0) continue;
        const name = keyName(item.slice(0, colon).trim(), p, file);
        if (!name) continue;
        const value = item.slice(colon + 1).trim();
        const lit = value.includes("{") && /^(&?schema\.Schema\s*)?\{/.test(value) ? literalBody(value) : resolveCall(value, p, file);
        // Shared helpers of another package (tags): read as plain attributes, none forces a replacement.
        out.push(lit === undefined ? { name, forceNew: false, list: false, maxOne: false, children: [] } : sdkAttr(name, lit, p, file));
    }
    return out;
}

function sdkAttr(name: string, lit: string, p: Provider, file: string): Attr {
    const type = field(lit, "Type") ?? "";
    const attr: Attr = {
        name,
        forceNew: field(lit, "ForceNew") === "true",
        list: /TypeList|TypeSet/.test(type),
        maxOne: field(lit, "MaxItems") === "1",
        children: [],
    };
    const elem = field(lit, "Elem");
    if (elem) {
        const res = /^&schema\.Resource\s*\{/.test(elem) ? literalBody(elem) : /^&schema\.Schema/.test(elem) ? undefined : resolveCall(elem, p, file);
        if (res !== undefined) attr.children = sdkResourceAttrs(res, p, file);
    }
    return attr;
}

/** The attributes of an SDKv2 `schema.Resource` literal body. */
function sdkResourceAttrs(body: string, p: Provider, file: string): Attr[] {
    const schema = field(body, "Schema");
    if (schema !== undefined) {
        const lit = schema.startsWith("map[") ? literalBody(schema.slice(schema.indexOf("]") + 1)) : resolveCall(schema, p, file);
        return lit === undefined ? [] : sdkSchemaMap(lit, p, file);
    }
    const fn = field(body, "SchemaFunc");
    if (fn !== undefined) {
        const called = /^func\(\)/.test(fn) ? returnedLiteral(fn.slice(fn.indexOf("{"))) : resolveCall(fn, p, file);
        return called === undefined ? [] : sdkSchemaMap(called, p, file);
    }
    return [];
}

/** Plugin-framework `Attributes:`/`Blocks:` maps of a schema literal body. */
function frameworkAttrs(body: string, p: Provider, file: string): Attr[] {
    const out: Attr[] = [];
    for (const which of ["Attributes", "Blocks"]) {
        const map = field(body, which);
        if (!map) continue;
        const lit = literalBody(map);
        if (lit === undefined) continue;
        for (const item of topLevelItems(lit)) {
            const colon = item.search(/:\s*[\w&]/);
            if (colon < 0) continue;
            const name = keyName(item.slice(0, colon).trim(), p, file);
            if (!name) continue;
            const value = item.slice(colon + 1).trim();
            const inner = literalBody(value) ?? "";
            const nested = field(inner, "NestedObject");
            out.push({
                name,
                forceNew: /\bRequiresReplace\(\)/.test(field(inner, "PlanModifiers") ?? ""),
                list: /List|Set/.test(value.slice(0, value.indexOf("{") >>> 0)),
                maxOne: /SizeAtMost\(1\)/.test(field(inner, "Validators") ?? ""),
                children: nested ? frameworkAttrs(literalBody(nested) ?? "", p, file) : [],
            });
        }
    }
    return out;
}

function attrsOf(p: Provider, loc: { file: string; kind: "sdk" | "framework"; func?: string }): Attr[] {
    const src = p.read(loc.file);
    if (loc.kind === "sdk") {
        const body = p.pkg(loc.file).funcs.get(loc.func ?? "");
        const res = body ? returnedLiteral(body) : undefined;
        return res === undefined ? [] : sdkResourceAttrs(res, p, loc.file);
    }
    const m = /\b(?:resp|response)\.Schema\s*=\s*schema\.Schema\s*\{/.exec(src);
    return m ? frameworkAttrs(braceBody(src, m.index + m[0].length - 1), p, loc.file) : [];
}

/* ---------- names ---------- */

export function camel(snake: string): string {
    return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The plural pulumi-terraform-bridge gives a list attribute, for the common
 * endings; a name already ending in "s" is kept (`ingress`, as
 * SecurityGroupArgs shows). The typings check catches any other spelling.
 */
export function plural(word: string): string {
    if (/s$/.test(word)) return word;
    if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
    if (/(x|ch|sh)$/.test(word)) return `${word}es`;
    return `${word}s`;
}

/** The Pulumi name of a Terraform attribute by the bridge's default: a list or set of more than one item is plural. */
export function pulumiName(a: Attr): string {
    const c = camel(a.name);
    return a.list && !a.maxOne ? plural(c) : c;
}

/** Input property names of `<Type>Args` in @pulumi/aws's typings. */
function sdkInputs(pulumiType: string): Set<string> | undefined {
    const m = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):(\w+)$/.exec(pulumiType);
    if (!m) return undefined;
    const file = path.join(ROOT, "node_modules", "@pulumi", "aws", m[1], `${m[2]}.d.ts`);
    if (!fs.existsSync(file)) return undefined;
    const src = fs.readFileSync(file, "utf8");
    const start = src.indexOf(`export interface ${m[3]}Args {`);
    if (start < 0) return undefined;
    const body = braceBody(src, start);
    return new Set([...body.matchAll(/^\s{4}(\w+)\??:/gm)].map((x) => x[1]));
}

/**
 * Top-level attributes pulumi-aws renames instead of following the default
 * (its provider/resources.go field overrides), by Terraform type; the
 * typings check below holds every name to what @pulumi/aws 7.48 exposes.
 */
const PULUMI_FIELD: Record<string, Record<string, string>> = {
    ...Object.fromEntries(
        ["authorizer", "deployment", "integration", "integration_response", "method", "method_response", "method_settings", "model", "request_validator", "resource", "stage", "gateway_response"].map((r) => [
            `aws_api_gateway_${r}`,
            { rest_api_id: "restApi" },
        ]),
    ),
    aws_lambda_function: { function_name: "name", filename: "code" },
    aws_lambda_permission: { function_name: "function" },
    aws_sns_topic_subscription: { topic_arn: "topic" },
};

/** Every ForceNew path of the attributes, dotted, the top level checked against the typings. */
function forceNewPaths(tf: string, attrs: Attr[], inputs: Set<string> | undefined): { paths: string[]; unmatched: string[] } {
    const paths: string[] = [];
    const unmatched: string[] = [];
    const walk = (list: Attr[], prefix: string) => {
        for (const a of list) {
            let name = (!prefix && PULUMI_FIELD[tf]?.[a.name]) || pulumiName(a);
            if (!prefix && inputs && !inputs.has(name)) {
                const alt = [camel(a.name), plural(camel(a.name))].find((n) => inputs.has(n));
                if (!alt) {
                    if (a.forceNew || hasForceNew(a.children)) unmatched.push(a.name);
                    continue;
                }
                name = alt;
            }
            const p = prefix ? `${prefix}.${name}` : name;
            if (a.forceNew) paths.push(p);
            else walk(a.children, p);
        }
    };
    walk(attrs, "");
    return { paths: paths.sort(), unmatched: unmatched.sort() };
}

function hasForceNew(list: Attr[]): boolean {
    return list.some((a) => a.forceNew || hasForceNew(a.children));
}

/* ---------- the declared types ---------- */

/** Pulumi type token -> Terraform resource type, where the default (`aws_<module>_<snake name>`, EC2 types without the module) does not hold (pulumi-aws provider/resources.go). */
const TERRAFORM_NAME: Record<string, string> = {
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
    "aws:lb/loadBalancer:LoadBalancer": "aws_lb",
};

export function terraformName(pulumiType: string): string | undefined {
    if (TERRAFORM_NAME[pulumiType]) return TERRAFORM_NAME[pulumiType];
    const m = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):\w+$/.exec(pulumiType);
    if (!m) return undefined;
    const snake = m[2].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const mod = m[1] === "ec2" ? "" : m[1] === "apigateway" ? "api_gateway_" : `${m[1]}_`;
    return `aws_${mod}${snake}`;
}

/** Why a declared type that is not bridged from the Terraform AWS provider has no extracted row. */
export function notFromTerraform(type: string): string | undefined {
    if (type.startsWith("privatelink:")) return "a component of this program: it holds no provider state and is never replaced itself; its children are";
    if (type.startsWith("pulumi:providers:")) return "a provider resource: replaced when its configuration changes in a way the provider says needs it; not known offline";
    if (type === "pulumi:pulumi:Stack") return "the stack itself: never replaced";
    if (type === "pulumi:pulumi:StackReference") return "a read of another stack's outputs: read again on every run, never replaced";
    if (type.startsWith("kubernetes:")) return "@pulumi/kubernetes is not bridged from Terraform: which fields replace an object is decided by its provider (immutable Kubernetes fields); not known offline";
    if (type.startsWith("docker-build:")) return "@pulumi/docker-build is a native provider: not known offline";
    if (type.startsWith("awsx:") || type.startsWith("eks:")) return "a remote component (pulumi-awsx, pulumi-eks): not replaced itself; under the engine its children are, each judged by its own type";
    return undefined;
}

/** Every type the platform declares: the allow-list and the remote children it names. */
export function declaredTypes(): string[] {
    const types = new Set<string>();
    for (const [type, entry] of allowList()) {
        types.add(type);
        for (const u of entry.under) if (u !== STACK_ROOT) types.add(u);
    }
    return [...types].sort();
}

/* ---------- main ---------- */

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The version of the installed @pulumi/aws (node_modules), whose typings the names are checked against. */
export function installedPulumiAws(): string {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "aws", "package.json"), "utf8")) as { version: string }).version;
}

/** What the extraction reads beyond the provider's files: the pulumi-aws release it came from, with its patches' text. */
export interface Bridged {
    pulumiAws: PulumiAwsSource;
    patchText: Map<string, string>;
}

export function extract(files: ProviderFiles, revision: string, note = "", types: string[] = declaredTypes(), bridged?: Bridged): ForceNewData {
    const pulumiAws = installedPulumiAws();
    if (bridged && bridged.pulumiAws.tag !== `v${pulumiAws}`) {
        throw new Error(`pulumi-aws ${bridged.pulumiAws.tag} is not the installed @pulumi/aws ${pulumiAws}: pass --tag v${pulumiAws}, or run npm ci first`);
    }
    const p = new Provider(files);
    const tfByPulumi = new Map<string, string>();
    const notTf: Record<string, string> = {};
    for (const t of types) {
        const why = notFromTerraform(t);
        if (why) notTf[t] = why;
        else {
            const tf = terraformName(t);
            if (tf) tfByPulumi.set(t, tf);
            else notTf[t] = "not a type of a known provider; not known offline";
        }
    }
    const where = p.locate([...new Set(tfByPulumi.values())]);
    const missing = [...tfByPulumi].filter(([, tf]) => !where.has(tf)).map(([t, tf]) => `${t} (${tf})`);
    if (missing.length > 0) {
        throw new Error(`not defined in ${files.describe}: ${missing.join(", ")}; add each to TERRAFORM_NAME if pulumi-aws maps it to another Terraform name`);
    }
    const resources: Record<string, ForceNewRow> = {};
    const regionReplaces = p.regionInterceptor() ?? null;
    for (const [t, tf] of tfByPulumi) {
        const loc = where.get(tf)!;
        const attrs = attrsOf(p, loc);
        if (attrs.length === 0) throw new Error(`${t}: no schema read from ${loc.file} (${loc.kind})`);
        if (regionReplaces && !attrs.some((a) => a.name === "region") && p.regionOverride(loc.file, tf)) {
            attrs.push({ name: "region", forceNew: true, list: false, maxOne: false, children: [] });
        }
        const inputs = sdkInputs(t);
        const { paths, unmatched } = forceNewPaths(tf, attrs, inputs);
        const top = attrs.map((a) => PULUMI_FIELD[tf]?.[a.name] ?? a.name);
        const sdkOnly = inputs ? [...inputs].filter((n) => !top.some((a) => n === a || n === camel(a) || n === plural(camel(a)))).sort() : [];
        resources[t] = { terraform: tf, file: loc.file, forceNew: paths, ...(unmatched.length ? { unmatched } : {}), ...(sdkOnly.length ? { sdkOnly } : {}) };
    }
    let version = "unknown";
    try {
        version = /^## (\S+)/m.exec(p.read("CHANGELOG.md"))?.[1] ?? version;
    } catch {
        /* no changelog at that revision */
    }
    const declaredFiles = new Set(Object.values(resources).map((r) => r.file));
    const patches: PatchRow[] | undefined = bridged
        ? [...bridged.patchText]
              .map(([name, text]) => {
                  const touched = patchFiles(text).filter((f) => declaredFiles.has(f));
                  return { patch: path.posix.basename(name), declaredFiles: touched, changesForceNew: touched.some((f) => patchChangesForceNew(text, f)) };
              })
              .filter((r) => r.declaredFiles.length > 0)
        : undefined;
    const unchecked = `Read at ${revision} as given, not derived from a pulumi-aws release: whether this is the revision @pulumi/aws ${pulumiAws} bridges is not checked.`;
    return {
        generatedBy: "tools/facts/extract-force-new.ts",
        source: {
            repository: "hashicorp/terraform-provider-aws",
            revision,
            commit: files.commit,
            version,
            bridgedBy: bridged?.pulumiAws ?? null,
            regionReplaces,
            ...(patches ? { patches } : {}),
            note: bridged ? note : [unchecked, note].filter((x) => x).join(" "),
        },
        pulumiAws,
        resources: Object.fromEntries(Object.entries(resources).sort(([a], [b]) => (a < b ? -1 : 1))),
        notFromTerraform: Object.fromEntries(Object.entries(notTf).sort(([a], [b]) => (a < b ? -1 : 1))),
    };
}

const USAGE = [
    "usage: extract-force-new.ts [--out <file>] [--note <text>] and one of",
    "  --pulumi-aws <pulumi-aws git dir> --tag v<@pulumi/aws version> --provider <terraform-provider-aws git dir>",
    "      the revision the release's `upstream` submodule records, with the release's patches applied",
    "  --provider <terraform-provider-aws git dir> --rev <tag|commit>",
    "  --provider-dir <terraform-provider-aws source directory> --rev <what it is>",
].join("\n");

if (require.main === module) {
    const provider = arg("provider");
    const dir = arg("provider-dir");
    const pulumiAwsDir = arg("pulumi-aws");
    let data: ForceNewData;
    if (pulumiAwsDir && provider) {
        const tag = arg("tag") ?? `v${installedPulumiAws()}`;
        const b = fromPulumiAws(pulumiAwsDir, tag, provider);
        data = extract(b.files, `upstream of pulumi-aws ${tag}`, arg("note") ?? "", declaredTypes(), b);
    } else if (provider) {
        const rev = arg("rev") ?? "HEAD";
        data = extract(GitFiles.at(provider, rev), rev, arg("note") ?? "");
    } else if (dir && arg("rev")) {
        data = extract(new DirFiles(dir), arg("rev")!, arg("note") ?? "");
    } else {
        console.error(USAGE);
        process.exit(2);
    }
    const out = arg("out") ?? path.join(ROOT, "policies", "facts", "force-new.json");
    fs.writeFileSync(out, JSON.stringify(data, null, 2) + "\n");
    const rows = Object.values(data.resources);
    const from = data.source.bridgedBy ? `, the upstream of pulumi-aws ${data.source.bridgedBy.tag} with ${data.source.bridgedBy.patches.length} patches` : "";
    console.log(`${out}: ${rows.length} Terraform-bridged types, ${rows.reduce((n, r) => n + r.forceNew.length, 0)} ForceNew paths, ${Object.keys(data.notFromTerraform).length} other types; from ${data.source.repository} ${data.source.version} (${data.source.commit ?? data.source.revision})${from}`);
}
