/**
 * `npm run embed [-- --force]`: bring the index in line with the corpus (incremental by
 * content hash). Progress on stderr, a closing summary on stdout.
 */
import { createEmbedder } from "../src/app.ts";
import { loadKnowledge } from "../src/knowledge/load-knowledge.ts";
import { buildIndex, formatSummary } from "../src/store/build-index.ts";
import { emptyCorpusHint } from "../src/ingest/corpus-files.ts";
import { parseCliArgs, progress, runCli } from "./cli.ts";

const USAGE = `Usage: npm run embed [-- --force]

Embeds the documents of CORPUS_DIR (default corpus/) into the index in INDEX_DIR
(default data/index). Only new and changed documents are embedded; removed ones
disappear. --force re-embeds everything.`;

await runCli(async (config) => {
  const { values } = parseCliArgs("embed", { options: { force: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // A mistake in the operator's entities.yml stops the build here, with its file:line.
  const knowledge = await loadKnowledge(config.corpusDir);
  const fromFiles = knowledge.files.map(({ file, entries }) => `${entries} from ${file}`);
  progress(`knowledge base: ${knowledge.entities.length} entities${fromFiles.length > 0 ? ` (${fromFiles.join(", ")})` : ""}`);
  const embedder = await createEmbedder(config, progress);
  progress(`Embedding ${config.corpusDir} with ${embedder.id} into ${config.indexDir}${values.force ? " (forced full rebuild)" : ""}`);
  const summary = await buildIndex({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, force: values.force, onProgress: progress });
  console.log(`Documents: ${formatSummary(summary)}`);
  if (summary.added + summary.changed + summary.unchanged === 0) progress(emptyCorpusHint(config.corpusDir));
  const skipped = summary.problems.filter((p) => p.kind !== "undated");
  if (skipped.length > 0) console.log(`Skipped ${skipped.length} file(s): ${skipped.map((p) => p.file).join(", ")}`);
});
