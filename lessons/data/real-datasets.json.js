// Lists the real datasets found at build time, so the lessons can offer them.
import { manifest } from "../../data/realData.mjs";

process.stdout.write(JSON.stringify(manifest()));
