// Regenerates docs/policies.md from the rules' metadata:
//   npm run -w policies docs
import * as fs from "fs";
import * as path from "path";
import { renderPolicyDocs } from "../lib/docs";
import { rules } from "../rules";

const target = path.resolve(__dirname, "..", "..", "docs", "policies.md");
fs.writeFileSync(target, renderPolicyDocs(rules));
console.log(`wrote ${target}`);
