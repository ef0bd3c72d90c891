// Lists the real datasets found at build time, so the lessons can offer them.
import { presentMedmnist } from "../../data/realData.mjs";

process.stdout.write(JSON.stringify({ medmnist: presentMedmnist() }));
