import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { currentBlock } from "../../tools/insights/readme-diagram";
import { inputsBlock, MARKERS, needsInputRows } from "../../tools/preview/readme-inputs";
import { ROOT } from "../helpers";

describe("README step 3: the values only you can know", () => {
    it("lists every needs-input value of dev and prod (npm run readme:inputs regenerates it)", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.equal(currentBlock(readme, MARKERS), inputsBlock(ROOT), "README.md's needs-input table is out of date: run `npm run readme:inputs`");
    });

    it("includes the front door's values, prod's domain and the search shard's account", () => {
        const paths = needsInputRows(ROOT).map(r => r.path);
        for (const p of ["platform.frontDoor.cognito.userPoolArn", "platform.frontDoor.jwt.issuer", "platform.frontDoor.domain.name", "shards[4].account"]) {
            assert.ok(paths.includes(p), p);
        }
    });
});

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
    return heading.trim().toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-");
}

describe("stack files: the documents their comments point to", () => {
    it("exist, with the headings their anchors name", () => {
        const dir = path.join(ROOT, "stacks");
        const broken: string[] = [];
        for (const file of fs.readdirSync(dir).filter(f => f.endsWith(".yaml"))) {
            const text = fs.readFileSync(path.join(dir, file), "utf8");
            for (const m of text.matchAll(/\b(docs\/[\w./-]+\.md)(?:#([\w-]+))?/g)) {
                const doc = path.join(ROOT, m[1]);
                if (!fs.existsSync(doc)) {
                    broken.push(`${file}: ${m[0]} (no such file)`);
                    continue;
                }
                const anchors = fs.readFileSync(doc, "utf8").split("\n").filter(l => /^#+ /.test(l)).map(l => slug(l.replace(/^#+ /, "")));
                if (m[2] && !anchors.includes(m[2])) broken.push(`${file}: ${m[0]} (no such heading)`);
            }
        }
        assert.deepStrictEqual(broken, []);
    });
});
