/**
 * `npm run package:schema [-- --check]`: the component package's Pulumi schema
 * (package/schema.json), generated offline by the Pulumi SDK's own component
 * analyzer (@pulumi/pulumi provider/experimental: ComponentProvider.getSchema,
 * which reads the exported classes' TypeScript types and doc comments), the
 * same code the Node.js language host runs when `pulumi package add` asks the
 * package for its schema. `--check` fails when the committed file differs.
 */
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

export const PACKAGE_DIR = path.resolve(__dirname, "..", "..", "package");
export const SCHEMA_FILE = path.join(PACKAGE_DIR, "schema.json");

/** The provider name the language host derives from package.json's name (cmd/run-plugin: non [-a-zA-Z0-9_] → "-"). */
export function providerName(packageName: string): string {
    return packageName.replace(/^@[^/]+\//, "").replace(/[^-a-zA-Z0-9_]/g, "-");
}

/** The schema as pretty JSON text. */
export async function generateSchema(dir = PACKAGE_DIR): Promise<string> {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require(path.join(dir, "index.ts")) as Record<string, unknown>;
    const provider = new ComponentProvider({ components: getPulumiComponents(entry), name: providerName(manifest.name), dirname: dir });
    return JSON.stringify(JSON.parse(await provider.getSchema()), null, 2) + "\n";
}

async function main(argv: string[]): Promise<number> {
    const schema = await generateSchema();
    if (argv.includes("--check")) {
        const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, "utf8") : "";
        if (current !== schema) {
            process.stderr.write(`${path.relative(process.cwd(), SCHEMA_FILE)} is out of date: run npm run package:schema\n`);
            return 1;
        }
        return 0;
    }
    fs.writeFileSync(SCHEMA_FILE, schema);
    process.stderr.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(code => (process.exitCode = code), e => {
        process.stderr.write(`error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exitCode = 1;
    });
}
