// The same corpus through the npm `mrz` package, for the side-by-side ratio in bench/mrz-throughput.sh.
import { readFileSync } from 'node:fs';
import { parse } from 'mrz';

const [corpusPath, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 3);
const documents = readFileSync(corpusPath, 'utf8')
  .split(/\n\s*\n/)
  .map((block) => block.trim())
  .filter((block) => block.length > 0)
  .map((block) => block.split('\n'));

let parsed = 0;
let valid = 0;
const start = process.hrtime.bigint();
let elapsed = 0;
do {
  for (const lines of documents) {
    if (parse(lines).valid) valid += 1;
  }
  parsed += documents.length;
  elapsed = Number(process.hrtime.bigint() - start) / 1e9;
} while (elapsed < seconds);

console.log(JSON.stringify({
  engine: 'npm mrz',
  documents: parsed,
  valid,
  seconds: elapsed,
  documents_per_second: Math.round(parsed / elapsed),
}));
