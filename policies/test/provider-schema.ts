/**
 * The input properties of an @pulumi/aws resource type, read from the
 * provider's own TypeScript declarations (node_modules/@pulumi/aws:
 * `<module>/<resource>.d.ts` declares `<Resource>Args`; nested blocks are
 * `inputs.<module>.<Type>` interfaces in `types/input.d.ts`). The pinned
 * package is the schema the program is type-checked against, so a property
 * the provider gains in an upgrade shows up here.
 */
import * as fs from "fs";
import * as path from "path";

const AWS = path.dirname(require.resolve("@pulumi/aws/package.json"));

let inputText: string | undefined;
const namespaces = new Map<string, string>();

/** The body of `export declare namespace <mod> {` in types/input.d.ts. */
function namespaceOf(mod: string): string {
    const hit = namespaces.get(mod);
    if (hit !== undefined) return hit;
    inputText ??= fs.readFileSync(path.join(AWS, "types", "input.d.ts"), "utf8");
    const start = inputText.indexOf(`\nexport declare namespace ${mod} {\n`);
    const body = start < 0 ? "" : inputText.slice(start, inputText.indexOf("\nexport declare namespace ", start + 10));
    namespaces.set(mod, body);
    return body;
}

/** Property lines of an interface body: `name?: type;` at the given indentation. */
function properties(body: string, indent: string): { name: string; type: string }[] {
    const out: { name: string; type: string }[] = [];
    const re = new RegExp(`^${indent}([A-Za-z0-9_]+)\\??: (.*);$`, "gm");
    for (const m of body.matchAll(re)) out.push({ name: m[1], type: m[2] });
    return out;
}

function interfaceBody(text: string, name: string, indent: string): string | undefined {
    const head = `${indent}${indent.length > 0 ? "" : "export "}interface ${name} {\n`;
    const i = text.indexOf(head);
    if (i < 0) return undefined;
    const end = text.indexOf(`\n${indent}}`, i);
    return text.slice(i + head.length, end);
}

/**
 * Every input property path of a type token (`aws:lambda/function:Function`),
 * nested blocks to `depth` levels, with `[]` for a list of blocks:
 * `deadLetterConfig.targetArn`, `loadBalancers[].targetGroupArn`.
 */
export function inputPaths(token: string, depth = 4): string[] {
    const m = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(token);
    if (!m) return [];
    const file = path.join(AWS, m[1], `${m[2]}.d.ts`);
    if (!fs.existsSync(file)) return [];
    const body = interfaceBody(fs.readFileSync(file, "utf8"), `${m[3]}Args`, "");
    if (body === undefined) return [];
    const out: string[] = [];
    const visit = (props: { name: string; type: string }[], prefix: string, level: number) => {
        for (const p of props) {
            const here = `${prefix}${p.name}`;
            out.push(here);
            const nested = /inputs\.([a-z0-9]+)\.([A-Za-z0-9]+)/.exec(p.type);
            if (!nested || level >= depth) continue;
            const inner = interfaceBody(namespaceOf(nested[1]), nested[2], "    ");
            if (inner === undefined) continue;
            const list = /\[\]/.test(p.type.slice(p.type.indexOf(nested[0]) + nested[0].length, p.type.indexOf(nested[0]) + nested[0].length + 4));
            visit(properties(inner, " {8}"), `${here}${list ? "[]" : ""}.`, level + 1);
        }
    };
    visit(properties(body, " {4}"), "", 1);
    return out;
}
